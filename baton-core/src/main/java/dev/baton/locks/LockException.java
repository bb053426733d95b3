package dev.baton.locks;

import dev.baton.BatonException;

/**
 * A cluster-lock operation failed. Thrown as such when the database could not be reached or refused
 * a lock statement; the subclasses name more specific outcomes. Always carries the lock's name.
 */
public class LockException extends BatonException {
  private static final long serialVersionUID = 1L;
  private final String lockName;

  public LockException(String lockName, String message, Throwable cause) {
    super(message, cause);
    this.lockName = lockName;
  }

  public LockException(String lockName, String message) {
    super(message);
    this.lockName = lockName;
  }

  /** The lock the failed operation was about; may be null only for cluster-wide operations. */
  public String lockName() {
    return lockName;
  }
}
