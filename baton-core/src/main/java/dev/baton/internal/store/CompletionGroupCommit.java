package dev.baton.internal.store;

import java.util.ArrayList;
import java.util.List;
import org.quartz.JobDetail;
import org.quartz.JobPersistenceException;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.spi.OperableTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of job completions, off the worker threads. Quartz records every completed execution
 * in its own transaction under the cluster-wide {@code TRIGGER_ACCESS} row lock, on the worker
 * thread that ran it; with many short jobs the workers spent most of their time queueing for that
 * lock, and the node could only acquire as many new firings as it had idle workers. Here a worker
 * hands its completion over and is free at once; one committer thread writes whatever has queued
 * meanwhile in one transaction (see {@link CompletionBatches#completeWithoutLock}). If that
 * transaction fails, each completion is written again on its own, through Quartz's retrying path.
 *
 * <p>What a crash loses is the same as before: an execution that ended but whose completion was not
 * yet committed is, for the cluster, one that was running when the node died (a recoverable job
 * runs again). {@link #close} writes everything queued before the store shuts down.
 */
final class CompletionGroupCommit {
  private static final Logger log = LoggerFactory.getLogger(CompletionGroupCommit.class);

  /** One finished execution, as Quartz reports it; compared by identity. */
  static final class Finished {
    final OperableTrigger trigger;
    final JobDetail job;
    final CompletedExecutionInstruction instruction;

    Finished(OperableTrigger trigger, JobDetail job, CompletedExecutionInstruction instruction) {
      this.trigger = trigger;
      this.job = job;
      this.instruction = instruction;
    }
  }

  /** Where completions are written. */
  interface Writer {
    /** Writes the group; throws, having written none of it, when it could not. */
    void writeAll(List<Finished> group) throws JobPersistenceException;

    /** Writes one completion on its own, retrying until it succeeds or the store shuts down. */
    void writeOne(Finished completion);
  }

  private static final int MAX_GROUP = 200;
  private final Writer writer;
  private final List<Finished> queued = new ArrayList<>();
  private Thread committer;
  private boolean closed;

  CompletionGroupCommit(Writer writer) {
    this.writer = writer;
  }

  /** Starts the committer thread; until then (and after {@link #close}) callers write their own. */
  synchronized void start(String threadName) {
    if (committer != null || closed) return;
    committer = new Thread(this::commitLoop, threadName);
    committer.setDaemon(true);
    committer.start();
  }

  /** Queues {@code c} for the committer, or writes it on this thread when there is none. */
  void complete(Finished c) {
    synchronized (this) {
      if (committer != null && !closed) {
        queued.add(c);
        notifyAll();
        return;
      }
    }
    writeGroup(List.of(c));
  }

  private void commitLoop() {
    while (true) {
      List<Finished> group;
      synchronized (this) {
        while (queued.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            // Only close() ends the loop, after the queue is written.
          }
        }
        if (queued.isEmpty()) return;
        // Bounded, to keep each transaction's statements and lock hold short.
        List<Finished> head = queued.subList(0, Math.min(queued.size(), MAX_GROUP));
        group = new ArrayList<>(head);
        head.clear();
      }
      try {
        writeGroup(group);
      } catch (RuntimeException e) {
        // Quartz's retries end only when the store shuts down with the database out of reach.
        log.warn(
            "{} completion(s) not written: {}; the cluster recovers them as executions of a"
                + " node that died",
            group.size(),
            e.toString());
      }
    }
  }

  /**
   * Writes everything queued, waiting at most {@code maxWaitMillis} for it (the database may be
   * unreachable), then lets callers write their own.
   */
  void close(long maxWaitMillis) {
    Thread t;
    synchronized (this) {
      closed = true;
      notifyAll();
      t = committer;
    }
    if (t == null) return;
    try {
      t.join(maxWaitMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (t.isAlive() || !queued.isEmpty()) {
        log.warn(
            "{} completion(s) not yet written after {} ms at shutdown; the cluster recovers them"
                + " as executions of a node that died",
            queued.size(),
            maxWaitMillis);
      }
    }
  }

  private void writeGroup(List<Finished> group) {
    try {
      writer.writeAll(group);
      return;
    } catch (JobPersistenceException | RuntimeException e) {
      // Rolled back as a whole: write each on its own, so that one bad completion cannot
      // hold back the others and each gets Quartz's retries.
      log.debug("Group of {} completions failed; writing each on its own", group.size(), e);
    }
    for (Finished one : group) writer.writeOne(one);
  }
}
