package dev.baton.locks;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How {@link ClusterLocks#withLock} takes and keeps a lock. Immutable; start from {@link
 * #lease(Duration)}:
 *
 * <pre>{@code
 * LockOptions.lease(Duration.ofSeconds(30))
 *     .maxWait(Duration.ofSeconds(10))     // default 0: try once
 *     .onLost(e -> log.error("lost", e))  // called from the renewal thread
 *     .interruptOnLoss(true);             // also interrupt the body's thread
 * }</pre>
 *
 * <p>While the body runs the lease is renewed every {@link #renewEvery()} (a third of the lease
 * unless set), so a body may run far longer than one lease.
 */
public final class LockOptions {
  private final Duration lease;
  private final Duration maxWait;
  private final Duration renewEvery;
  private final Consumer<LockLostException> onLost;
  private final boolean interruptOnLoss;

  private LockOptions(
      Duration lease,
      Duration maxWait,
      Duration renewEvery,
      Consumer<LockLostException> onLost,
      boolean interruptOnLoss) {
    this.lease = lease;
    this.maxWait = maxWait;
    this.renewEvery = renewEvery;
    this.onLost = onLost;
    this.interruptOnLoss = interruptOnLoss;
  }

  /** Options with this lease, no waiting, renewal at a third of the lease, no loss callback. */
  public static LockOptions lease(Duration lease) {
    LockArguments.checkLease(null, lease);
    return new LockOptions(lease, Duration.ZERO, null, null, false);
  }

  /** How long to wait for a busy lock before {@link LockTimeoutException}; zero tries once. */
  public LockOptions maxWait(Duration maxWait) {
    LockArguments.checkMaxWait(null, maxWait);
    return new LockOptions(lease, maxWait, renewEvery, onLost, interruptOnLoss);
  }

  /**
   * How often the lease is renewed while the body runs. Must be positive and at most half the
   * lease, so that one failed renewal still leaves time for the next.
   */
  public LockOptions renewEvery(Duration interval) {
    if (interval == null
        || interval.isZero()
        || interval.isNegative()
        || interval.multipliedBy(2).compareTo(lease) > 0) {
      throw new InvalidLockArgumentException(
          null,
          "renewEvery",
          interval,
          "give a positive interval of at most half the lease (" + lease + ")");
    }
    return new LockOptions(lease, maxWait, interval, onLost, interruptOnLoss);
  }

  /**
   * Called once, on the renewal thread, when the lease is found lost or could not be renewed before
   * it ran out. Stop touching the protected resource when it is called.
   */
  public LockOptions onLost(Consumer<LockLostException> callback) {
    return new LockOptions(
        lease, maxWait, renewEvery, Objects.requireNonNull(callback, "onLost"), interruptOnLoss);
  }

  /** Whether to interrupt the body's thread when the lease is lost (default false). */
  public LockOptions interruptOnLoss(boolean interrupt) {
    return new LockOptions(lease, maxWait, renewEvery, onLost, interrupt);
  }

  public Duration lease() {
    return lease;
  }

  public Duration maxWait() {
    return maxWait;
  }

  /** The renewal interval: as set, or a third of the lease. */
  public Duration renewEvery() {
    return renewEvery != null ? renewEvery : lease.dividedBy(3);
  }

  /** May be null. */
  public Consumer<LockLostException> onLost() {
    return onLost;
  }

  public boolean interruptOnLoss() {
    return interruptOnLoss;
  }

  @Override
  public String toString() {
    return "LockOptions[lease="
        + lease
        + ", maxWait="
        + maxWait
        + ", renewEvery="
        + renewEvery()
        + ", interruptOnLoss="
        + interruptOnLoss
        + "]";
  }
}
