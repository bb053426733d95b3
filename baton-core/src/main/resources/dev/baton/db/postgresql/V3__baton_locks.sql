-- Cluster locks (dev.baton.locks): one row per lock name, kept after release so that the next
-- holder's fencing token continues from the last one. Times are microseconds since the Unix epoch
-- read from the database clock, so session time zones never matter. Rows expired for longer than
-- the retention are deleted; a re-created row starts its token at the database clock (micros),
-- which is above every earlier token unless the clock stepped back by more than the retention.
-- The namespace is the table prefix: every cluster and standalone ClusterLocks with this prefix
-- shares these locks.
CREATE TABLE ${prefix}BATON_LOCKS (
  LOCK_NAME     VARCHAR(190) NOT NULL,
  OWNER_NODE    VARCHAR(200) NOT NULL,
  OWNER_THREAD  VARCHAR(200) NOT NULL,
  FENCING_TOKEN BIGINT       NOT NULL,
  ACQUIRED_AT   BIGINT       NOT NULL,
  EXPIRES_AT    BIGINT       NOT NULL,
  -- How many nodes wait for the lock (PostgreSQL only): a release notifies only when some do.
  WAITERS       INT          DEFAULT 0 NOT NULL,
  PRIMARY KEY (LOCK_NAME)
);
