package dev.baton.locks;

/**
 * A thread asked for a lock it already holds through the same {@link ClusterLocks}. Cluster locks
 * are not re-entrant; failing at once beats waiting on oneself until the wait runs out.
 */
public final class LockReentryException extends LockException {
  private static final long serialVersionUID = 1L;
  private final long heldToken;
  private final String nodeId;

  LockReentryException(String lockName, long heldToken, String nodeId, String thread) {
    super(
        lockName,
        "Thread '"
            + thread
            + "' of node "
            + nodeId
            + " already holds lock '"
            + lockName
            + "' (token "
            + heldToken
            + "); cluster locks are not re-entrant. Pass the held ClusterLock down instead of"
            + " acquiring it again.");
    this.heldToken = heldToken;
    this.nodeId = nodeId;
  }

  /** The token of the handle the thread already holds. */
  public long heldToken() {
    return heldToken;
  }

  public String nodeId() {
    return nodeId;
  }
}
