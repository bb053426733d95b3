-- One row per Baton node: what Quartz's SCHEDULER_STATE does not say (host, pid, version) and which
-- of the cluster's job classes this node can run, so that a task no live node can run is visible.
CREATE TABLE ${prefix}BATON_NODES (
  SCHED_NAME       VARCHAR(120) NOT NULL,
  INSTANCE_NAME    VARCHAR(200) NOT NULL,
  HOST_NAME        VARCHAR(255) NOT NULL,
  PID              BIGINT       NOT NULL,
  BATON_VERSION    VARCHAR(40)  NOT NULL,
  STARTED_AT       BIGINT       NOT NULL,
  UPDATED_AT       BIGINT       NOT NULL,
  RUNNABLE_CLASSES TEXT NULL,
  PRIMARY KEY (SCHED_NAME, INSTANCE_NAME)
);
