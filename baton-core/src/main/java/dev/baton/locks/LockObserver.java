package dev.baton.locks;

import java.time.Duration;

/**
 * Told what this node's {@link ClusterLocks} do, for metrics: how long acquisitions waited, how
 * often a lock was busy, how long locks were held. Called on the acquiring or releasing thread, so
 * keep it cheap; anything it throws is logged and ignored, never breaking the lock.
 */
public interface LockObserver {
  /**
   * An acquisition of {@code name} begins on this thread; {@link #acquired}, {@link #busy} or
   * {@link #failed} follows on the same thread (what an observation or span around it needs).
   */
  default void acquiring(String name) {}

  /** {@code name} was acquired with {@code token} after waiting {@code waited}. */
  default void acquired(String name, long token, Duration waited) {}

  /** An acquisition of {@code name} gave up: busy for a try, or busy past its wait. */
  default void busy(String name, Duration waited) {}

  /** An acquisition of {@code name} failed: the database refused or could not be reached. */
  default void failed(String name, RuntimeException error) {}

  /** {@code name} was released (or found lost at release) after being held {@code held}. */
  default void released(String name, long token, Duration held) {}
}
