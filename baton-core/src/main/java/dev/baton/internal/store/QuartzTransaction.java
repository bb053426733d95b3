package dev.baton.internal.store;

import java.sql.Connection;
import org.quartz.JobPersistenceException;

/**
 * One of Quartz's transactions, as the store runs it ({@code executeInNonManagedTXLock}): a
 * connection of the node's, holding {@link #TRIGGER_ACCESS} or no lock ({@code null}), committed at
 * the end; when the commit reports failure, {@code committed} (null for none) tells whether it
 * happened after all. This is what a collaborator that must run in the store's transactions is
 * given, never the store. Steps and checks are meant to be made once and {@code arg} to carry the
 * call's values, so a transaction costs one small object, as it did inline in the store.
 */
@FunctionalInterface
interface QuartzTransaction {
  /** Quartz's cluster-wide lock, which every node's acquisition and state change takes. */
  String TRIGGER_ACCESS = "TRIGGER_ACCESS";

  <A, T> T run(String lock, Step<A, T> step, A arg, Check<A, T> committed)
      throws JobPersistenceException;

  /** Work in the transaction, on its connection. */
  @FunctionalInterface
  interface Step<A, T> {
    T run(Connection conn, A arg) throws JobPersistenceException;
  }

  /** Whether a commit that reported failure happened after all. */
  @FunctionalInterface
  interface Check<A, T> {
    boolean happened(Connection conn, A arg, T result) throws JobPersistenceException;
  }

  /**
   * Quartz's retried transaction ({@code retryExecuteInNonManagedTXLock}): run again until it
   * commits or the store shuts down; failures are logged, not thrown.
   */
  @FunctionalInterface
  interface Retried {
    <A> void run(String lock, Step<A, ?> step, A arg);
  }
}
