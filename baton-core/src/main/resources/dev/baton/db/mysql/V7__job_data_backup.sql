-- The original bytes of job data that 'baton migrate-quartz' (QuartzDataMigration) converted from a
-- serialized Java object (stock Quartz without useProperties=true) to properties text, so that a
-- conversion can be rolled back. One row per converted job (DATA_KIND 'JOB') or trigger ('TRIGGER').
CREATE TABLE ${prefix}BATON_JOB_DATA_BACKUP (
  SCHED_NAME    VARCHAR(120) NOT NULL,
  DATA_KIND     VARCHAR(8)   NOT NULL,
  ENTRY_GROUP   VARCHAR(190) NOT NULL,
  ENTRY_NAME    VARCHAR(190) NOT NULL,
  ORIGINAL_DATA BLOB NOT NULL,
  CONVERTED_AT  BIGINT       NOT NULL,
  PRIMARY KEY (SCHED_NAME, DATA_KIND, ENTRY_GROUP, ENTRY_NAME)
)
ENGINE=InnoDB;
