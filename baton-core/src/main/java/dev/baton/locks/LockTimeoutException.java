package dev.baton.locks;

import java.time.Duration;

/** A lock stayed held by someone else for the whole of the caller's maximum wait. */
public final class LockTimeoutException extends LockException {
  private static final long serialVersionUID = 1L;
  private final Duration waited;
  private final transient LockInfo holder;

  LockTimeoutException(String lockName, Duration waited, LockInfo holder) {
    super(
        lockName,
        "Lock '"
            + lockName
            + "' still held after waiting "
            + waited.toMillis()
            + " ms"
            + (holder == null
                ? " (it was free again by the time its holder was read)"
                : " by node "
                    + holder.ownerNode()
                    + ", thread '"
                    + holder.ownerThread()
                    + "' (token "
                    + holder.fencingToken()
                    + ", lease until "
                    + holder.expiresAt()
                    + ")")
            + ". Raise maxWait, shorten the holder's work, or use tryAcquire to skip when busy.");
    this.waited = waited;
    this.holder = holder;
  }

  /** How long the caller waited. */
  public Duration waited() {
    return waited;
  }

  /** The holder when the wait ran out; null when the lock was free by the time it was read. */
  public LockInfo holder() {
    return holder;
  }
}
