-- Execution history: one row per execution attempt, written by the scheduler itself (never by job
-- code), so skipped, vetoed and abandoned firings leave a trace too. Times are epoch millis (BIGINT)
-- like Quartz's own columns, so no session time zone can shift them.
CREATE TABLE ${prefix}BATON_HISTORY (
  SCHED_NAME     VARCHAR(120) NOT NULL,
  ID             VARCHAR(200) NOT NULL,
  JOB_NAME       VARCHAR(200) NOT NULL,
  JOB_GROUP      VARCHAR(200) NOT NULL,
  TRIGGER_NAME   VARCHAR(200) NOT NULL,
  TRIGGER_GROUP  VARCHAR(200) NOT NULL,
  SCHEDULED_TIME BIGINT       NULL,
  START_TIME     BIGINT       NOT NULL,
  END_TIME       BIGINT       NULL,
  DURATION_MS    BIGINT       NULL,
  NODE_ID        VARCHAR(200) NOT NULL,
  OUTCOME        VARCHAR(16)  NOT NULL,
  REFIRE_COUNT   INTEGER      NOT NULL,
  RECOVERY       BOOLEAN      NOT NULL,
  FENCING_TOKEN  BIGINT       NULL,
  ERROR_CLASS    VARCHAR(250) NULL,
  MESSAGE        TEXT NULL,
  STACK_TRACE    TEXT NULL,
  DETAILS        TEXT NULL,
  LOG_TEXT       TEXT NULL,
  PRIMARY KEY (SCHED_NAME, ID)
);
-- Newest-first listing, keyset pagination and retention by age.
CREATE INDEX IDX_${prefix}BH_START ON ${prefix}BATON_HISTORY (SCHED_NAME, START_TIME, ID);
-- The filters of the query API, each newest first.
CREATE INDEX IDX_${prefix}BH_TASK ON ${prefix}BATON_HISTORY (SCHED_NAME, JOB_NAME, START_TIME);
-- The outcome index also finds the few RUNNING rows of a node the cluster declares dead.
CREATE INDEX IDX_${prefix}BH_OUTCOME ON ${prefix}BATON_HISTORY (SCHED_NAME, OUTCOME, START_TIME);
CREATE INDEX IDX_${prefix}BH_NODE ON ${prefix}BATON_HISTORY (SCHED_NAME, NODE_ID, START_TIME);
-- The duplicate key: one firing is one trigger at one scheduled time. Not unique on purpose, so
-- that a firing executed twice shows up (GROUP BY ... HAVING COUNT(*) > 1) instead of failing.
CREATE INDEX IDX_${prefix}BH_FIRING
  ON ${prefix}BATON_HISTORY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, SCHEDULED_TIME);
