package dev.baton.shedlock;

import dev.baton.locks.ClusterLock;
import dev.baton.locks.LockException;
import dev.baton.locks.LockLostException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * A lock taken by {@link BatonLockProvider}: a ShedLock {@link SimpleLock} over a Baton {@link
 * ClusterLock}. As ShedLock documents, {@link #unlock()} or {@link #extend} may be called once;
 * after that this object is invalid and both throw {@link IllegalStateException} (an extension
 * returns a new {@code BatonLock} to use instead).
 */
public final class BatonLock implements SimpleLock {
  private final Held held;
  private final Duration lockAtLeastFor;
  private final long startedNanos;
  private final AtomicBoolean valid = new AtomicBoolean(true);

  BatonLock(Held held, Duration lockAtLeastFor, long startedNanos) {
    this.held = held;
    this.lockAtLeastFor = lockAtLeastFor;
    this.startedNanos = startedNanos;
  }

  /** Strictly greater than every earlier holder's token for this name, cluster-wide. */
  public long fencingToken() {
    return held.lock.fencingToken();
  }

  /** The lock's name. */
  public String name() {
    return held.lock.name();
  }

  /**
   * Releases the lock; if less than {@code lockAtLeastFor} has passed since it was asked for (or
   * last extended), others are kept out until then instead (database clock for the remainder). An
   * unlock that finds the lock already lost (lease run out, taken over) only logs it.
   *
   * @throws IllegalStateException when this lock was already unlocked or extended
   */
  @Override
  public void unlock() {
    invalidate();
    Duration left = lockAtLeastFor.minusNanos(System.nanoTime() - startedNanos);
    held.end();
    try {
      if (left.isNegative() || left.isZero()) held.lock.release();
      else held.lock.releaseAfter(left);
    } catch (LockException e) {
      throw new net.javacrumbs.shedlock.support.LockException(e.getMessage(), e);
    }
  }

  /**
   * Sets the lease to {@code lockAtMostFor} from now (database clock) and returns the lock to use
   * from now on, with {@code lockAtLeastFor} counted from now; empty when the lock was already
   * lost. This lock is invalid afterwards either way.
   *
   * @throws IllegalStateException when this lock was already unlocked or extended
   * @throws IllegalArgumentException when {@code lockAtLeastFor} is longer than {@code
   *     lockAtMostFor}
   */
  @Override
  public Optional<SimpleLock> extend(Duration lockAtMostFor, Duration lockAtLeastFor) {
    Objects.requireNonNull(lockAtMostFor, "lockAtMostFor");
    Objects.requireNonNull(lockAtLeastFor, "lockAtLeastFor");
    if (lockAtLeastFor.compareTo(lockAtMostFor) > 0) {
      throw new IllegalArgumentException(
          "lockAtLeastFor ("
              + lockAtLeastFor
              + ") is longer than"
              + " lockAtMostFor ("
              + lockAtMostFor
              + ") for lock '"
              + name()
              + "'");
    }
    invalidate();
    long startedNanos = System.nanoTime();
    try {
      held.lock.renew(lockAtMostFor);
    } catch (LockLostException e) {
      held.end();
      return Optional.empty();
    } catch (dev.baton.locks.InvalidLockArgumentException e) {
      throw e;
    } catch (LockException e) {
      throw new net.javacrumbs.shedlock.support.LockException(e.getMessage(), e);
    }
    return Optional.of(new BatonLock(held, lockAtLeastFor, startedNanos));
  }

  private void invalidate() {
    if (!valid.compareAndSet(true, false)) {
      throw new IllegalStateException(
          "Lock '"
              + name()
              + "' (token "
              + fencingToken()
              + ") is not valid: it was already unlocked or extended");
    }
  }

  @Override
  public String toString() {
    return "BatonLock["
        + name()
        + ", token "
        + fencingToken()
        + ", node "
        + held.lock.nodeId()
        + "]";
  }

  /** One acquisition, shared by the locks that extensions return. */
  static final class Held {
    private final ClusterLock lock;
    private final Thread thread;
    private volatile boolean ended;

    Held(ClusterLock lock, Thread thread) {
      this.lock = lock;
      this.thread = thread;
    }

    ClusterLock lock() {
      return lock;
    }

    Thread thread() {
      return thread;
    }

    boolean ended() {
      return ended;
    }

    void end() {
      ended = true;
      BatonLockProvider.forget(this);
    }
  }
}
