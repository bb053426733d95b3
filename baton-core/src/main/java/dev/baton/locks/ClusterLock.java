package dev.baton.locks;

import java.time.Duration;

/**
 * A held cluster lock: its name, its fencing token, and its lease, which runs out unless renewed.
 * Obtained from {@link ClusterLocks}; {@link #close()} releases it, so try-with-resources works.
 *
 * <p>Pass {@link #fencingToken()} with every write to the protected resource and have the resource
 * refuse a token lower than the highest it has seen: that, and only that, keeps out a holder that
 * paused past its lease while the next holder already started.
 *
 * <p>{@link #renew()} and {@link #release()} act only while this handle's node and token still own
 * the lock. On a stale handle (lease run out, taken over, or force-released) {@code renew} throws
 * {@link LockLostException} and {@code release} returns false.
 */
public final class ClusterLock implements AutoCloseable {
  private final ClusterLocks locks;
  private final String name;
  private final long fencingToken;
  private final Duration lease;
  private final Thread owner;
  private final long acquiredAtNanos;
  private volatile long leaseEndsNanos;
  private volatile boolean released;
  private volatile LockLostException lost;

  ClusterLock(
      ClusterLocks locks,
      String name,
      long fencingToken,
      Duration lease,
      Thread owner,
      long askedAtNanos) {
    this.locks = locks;
    this.name = name;
    this.fencingToken = fencingToken;
    this.lease = lease;
    this.owner = owner;
    this.acquiredAtNanos = askedAtNanos;
    // Conservative: the database started the lease after we asked.
    this.leaseEndsNanos = askedAtNanos + lease.toNanos();
  }

  public String name() {
    return name;
  }

  /** Strictly greater than every earlier holder's token for this name, cluster-wide. */
  public long fencingToken() {
    return fencingToken;
  }

  /** The node holding it (this {@link ClusterLocks}'s node id). */
  public String nodeId() {
    return locks.nodeId();
  }

  /** The lease each acquisition or renewal grants. */
  public Duration lease() {
    return lease;
  }

  /**
   * Extends the lease to a full {@link #lease()} from now (database clock).
   *
   * @throws LockLostException when this handle no longer holds the lock
   * @throws LockException when the database could not be reached (the lease may still run out)
   */
  public void renew() {
    renew(lease);
  }

  /**
   * Like {@link #renew()}, but the lease ends {@code lease} from now (database clock), which may be
   * longer or shorter than {@link #lease()}. Later {@link #renew()} calls, and background renewal,
   * grant {@link #lease()} again. For extending a lock once (ShedLock's {@code extend}).
   *
   * @throws InvalidLockArgumentException when {@code lease} is under 1 ms or over 365 days
   * @throws LockLostException when this handle no longer holds the lock
   * @throws LockException when the database could not be reached (the lease may still run out)
   */
  public void renew(Duration lease) {
    LockArguments.checkLease(name, lease);
    if (released) {
      throw new LockException(
          name,
          "Lock '"
              + name
              + "' (token "
              + fencingToken
              + ") was already released by this handle; acquire it again instead of renewing.");
    }
    LockLostException known = lost;
    if (known != null) throw known;
    long asked = System.nanoTime();
    if (locks.renew(this, lease)) {
      leaseEndsNanos = asked + lease.toNanos();
    } else {
      LockLostException e =
          locks.lostException(this, "renewal found its lease run out or taken over");
      markLost(e);
      throw e;
    }
  }

  /**
   * Renews this lock every {@link LockOptions#renewEvery()} on the node's renewal thread until the
   * returned renewal is stopped (stop it before releasing). A loss is logged and reported to {@link
   * LockOptions#onLost}; with {@link LockOptions#interruptOnLoss} the thread calling this method is
   * interrupted. Only the options' renewal settings are used; the lease is this handle's.
   */
  public LeaseRenewal renewInBackground(LockOptions options) {
    return locks.keepRenewed(
        this,
        options.renewEvery(),
        options.onLost(),
        options.interruptOnLoss() ? Thread.currentThread() : null);
  }

  /**
   * Ends the lease now and wakes waiters. Returns true when this handle still held the lock; false
   * when it was already lost (lease run out, taken over, force-released) or already released. A
   * false return means work done since the loss was not protected by the lock.
   */
  public boolean release() {
    if (released) return false;
    released = true;
    return locks.release(this, lost == null);
  }

  /**
   * Gives the lock up but keeps everyone out, this node included, for {@code keep} more: the lease
   * ends {@code keep} from now (database clock) instead of now. For minimum hold times (ShedLock's
   * {@code lockAtLeastFor}). Afterwards this handle counts as released, and {@link
   * ClusterLocks#close()} leaves the lock to run out. Under 1 ms is {@link #release()}. Returns as
   * {@link #release()} does.
   *
   * @throws InvalidLockArgumentException when {@code keep} is null, negative or over 365 days
   */
  public boolean releaseAfter(Duration keep) {
    if (keep == null || keep.isNegative()) {
      throw new InvalidLockArgumentException(
          name, "keep", keep, "give zero or a positive duration");
    }
    if (keep.compareTo(Duration.ofMillis(1)) < 0) return release();
    LockArguments.checkLease(name, keep);
    if (released) return false;
    released = true;
    return locks.release(this, lost == null, keep);
  }

  /** Asks the database whether this handle still holds the lock (node, token, unexpired lease). */
  public boolean isHeld() {
    return !released && lost == null && locks.isHeld(this);
  }

  /** When it was acquired, on this JVM's monotonic clock ({@link System#nanoTime()}). */
  long acquiredAtNanos() {
    return acquiredAtNanos;
  }

  /** Releases; see {@link #release()}. */
  @Override
  public void close() {
    release();
  }

  Thread owner() {
    return owner;
  }

  /**
   * Whether this handle still believes it holds the lock (not released, not lost, lease not run
   * out).
   */
  boolean believedHeld() {
    return !released && lost == null && System.nanoTime() - leaseEndsNanos < 0;
  }

  boolean localLeaseRanOut() {
    return System.nanoTime() - leaseEndsNanos >= 0;
  }

  void markLost(LockLostException e) {
    if (lost == null) lost = e;
  }

  LockLostException lost() {
    return lost;
  }

  @Override
  public String toString() {
    return "ClusterLock[" + name + ", token " + fencingToken + ", node " + locks.nodeId() + "]";
  }
}
