-- Nodes that left the cluster: cleanly (their own drain, DEPARTURE 'LEFT') or declared dead by a
-- survivor (DEPARTURE 'DECLARED_DEAD', written in the recovery transaction of their work, with the
-- recovering node in DECLARED_BY). Kept for the dashboard's departed nodes; the housekeeping of
-- every node deletes rows older than 7 days. Times are epoch millis on the database's clock.
CREATE TABLE ${prefix}BATON_DEPARTED_NODES (
  SCHED_NAME    VARCHAR(120) NOT NULL,
  INSTANCE_NAME VARCHAR(200) NOT NULL,
  DEPARTED_AT   BIGINT       NOT NULL,
  DEPARTURE     VARCHAR(16)  NOT NULL,
  DECLARED_BY   VARCHAR(200) NULL,
  HOST_NAME     VARCHAR(255) NULL,
  PID           BIGINT       NULL,
  BATON_VERSION VARCHAR(40)  NULL,
  STARTED_AT    BIGINT       NULL,
  PRIMARY KEY (SCHED_NAME, INSTANCE_NAME, DEPARTED_AT)
);
-- Newest first, and the clean-up by age.
CREATE INDEX IDX_${prefix}BDN_DEPARTED ON ${prefix}BATON_DEPARTED_NODES (SCHED_NAME, DEPARTED_AT);
