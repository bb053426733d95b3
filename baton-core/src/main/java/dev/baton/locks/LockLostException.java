package dev.baton.locks;

/**
 * A lock handle no longer holds its lock: its lease expired (and perhaps another holder took the
 * lock with a higher fencing token), or an administrator force-released it. Work done since the
 * loss was not protected by the lock; only the fencing token can keep a stale holder's writes out.
 */
public final class LockLostException extends LockException {
  private static final long serialVersionUID = 1L;
  private final long fencingToken;
  private final String nodeId;
  private final transient LockInfo currentHolder;

  LockLostException(
      String lockName, long fencingToken, String nodeId, LockInfo currentHolder, String what) {
    super(
        lockName,
        "Lock '"
            + lockName
            + "' (token "
            + fencingToken
            + ") is no longer held by node "
            + nodeId
            + ": "
            + what
            + "; "
            + (currentHolder == null
                ? "nobody holds it now"
                : "now held by node "
                    + currentHolder.ownerNode()
                    + " with token "
                    + currentHolder.fencingToken())
            + ". Renew more often than the lease (withLock does), or use a longer lease.");
    this.fencingToken = fencingToken;
    this.nodeId = nodeId;
    this.currentHolder = currentHolder;
  }

  /** The lost handle's fencing token. */
  public long fencingToken() {
    return fencingToken;
  }

  /** The node that held the lock. */
  public String nodeId() {
    return nodeId;
  }

  /** Who holds the lock now, as read right after the loss was found; null when nobody. */
  public LockInfo currentHolder() {
    return currentHolder;
  }
}
