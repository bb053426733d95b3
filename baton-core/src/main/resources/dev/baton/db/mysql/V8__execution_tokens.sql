-- Fencing tokens for every execution: a firing transaction takes one value and numbers its
-- firings from it (value * 1000 + i), so tokens increase across the cluster in firing order.
-- MySQL has no sequences: each value is an AUTO_INCREMENT row (allocated when the statement runs,
-- never rolled back, and kept across restarts since MySQL 8 and MariaDB 10.2.4); old rows are
-- deleted as new ones are taken.
CREATE TABLE ${prefix}BATON_EXECUTION_TOKENS (
  ID BIGINT NOT NULL AUTO_INCREMENT,
  PRIMARY KEY (ID)
) ENGINE=InnoDB;
