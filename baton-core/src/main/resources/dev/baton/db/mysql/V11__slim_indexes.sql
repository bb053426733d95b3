-- Every firing rewrites its trigger's row and writes an execution entry, and every index on those
-- tables is written with them (a firing changes TRIGGER_STATE and NEXT_FIRE_TIME, so PostgreSQL
-- cannot update in place). Quartz's schema carries indexes that no statement Baton runs needs:
-- each is a leading part of an index that stays, or serves only a rare management read (a
-- calendar's triggers, a job group's triggers) that a scan does as well. They go; indexes an
-- adopted installation never had are skipped (MySQL has no DROP INDEX IF EXISTS:
-- each drop is prepared only when information_schema lists the index). Quartz's T_NFT_ST goes
-- too, as on the other databases since V5: T_NFT_ST_PRIO serves everything it did.
--   kept on TRIGGERS: the primary key, T_J (a job's triggers; the foreign key's), T_N_G_STATE (a
--   trigger group's), T_NFT_ST_PRIO (acquisition), T_NFT_ST_MISFIRE (misfire scan)
--   kept on FIRED_TRIGGERS: the primary key, FT_INST_JOB_REQ_RCVRY (a node's entries), FT_J_G (a
--   job's executions), FT_T_G (a trigger's)
SET @drop = (SELECT IF(COUNT(*) > 0, 'DROP INDEX IDX_${prefix}T_JG ON ${prefix}TRIGGERS', 'DO 0')
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
  AND TABLE_NAME = '${prefix}TRIGGERS' AND INDEX_NAME = 'IDX_${prefix}T_JG');
PREPARE drop_index FROM @drop;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
SET @drop = (SELECT IF(COUNT(*) > 0, 'DROP INDEX IDX_${prefix}T_C ON ${prefix}TRIGGERS', 'DO 0')
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
  AND TABLE_NAME = '${prefix}TRIGGERS' AND INDEX_NAME = 'IDX_${prefix}T_C');
PREPARE drop_index FROM @drop;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
SET @drop = (SELECT IF(COUNT(*) > 0, 'DROP INDEX IDX_${prefix}T_G ON ${prefix}TRIGGERS', 'DO 0')
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
  AND TABLE_NAME = '${prefix}TRIGGERS' AND INDEX_NAME = 'IDX_${prefix}T_G');
PREPARE drop_index FROM @drop;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
SET @drop = (SELECT IF(COUNT(*) > 0, 'DROP INDEX IDX_${prefix}T_STATE ON ${prefix}TRIGGERS', 'DO 0')
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
  AND TABLE_NAME = '${prefix}TRIGGERS' AND INDEX_NAME = 'IDX_${prefix}T_STATE');
PREPARE drop_index FROM @drop;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
SET @drop = (SELECT IF(COUNT(*) > 0, 'DROP INDEX IDX_${prefix}T_N_STATE ON ${prefix}TRIGGERS', 'DO 0')
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
  AND TABLE_NAME = '${prefix}TRIGGERS' AND INDEX_NAME = 'IDX_${prefix}T_N_STATE');
PREPARE drop_index FROM @drop;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
SET @drop = (SELECT IF(COUNT(*) > 0, 'DROP INDEX IDX_${prefix}T_NEXT_FIRE_TIME ON ${prefix}TRIGGERS', 'DO 0')
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
  AND TABLE_NAME = '${prefix}TRIGGERS' AND INDEX_NAME = 'IDX_${prefix}T_NEXT_FIRE_TIME');
PREPARE drop_index FROM @drop;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
SET @drop = (SELECT IF(COUNT(*) > 0, 'DROP INDEX IDX_${prefix}T_NFT_MISFIRE ON ${prefix}TRIGGERS', 'DO 0')
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
  AND TABLE_NAME = '${prefix}TRIGGERS' AND INDEX_NAME = 'IDX_${prefix}T_NFT_MISFIRE');
PREPARE drop_index FROM @drop;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
SET @drop = (SELECT IF(COUNT(*) > 0, 'DROP INDEX IDX_${prefix}T_NFT_ST_MISFIRE_GRP ON ${prefix}TRIGGERS', 'DO 0')
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
  AND TABLE_NAME = '${prefix}TRIGGERS' AND INDEX_NAME = 'IDX_${prefix}T_NFT_ST_MISFIRE_GRP');
PREPARE drop_index FROM @drop;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
SET @drop = (SELECT IF(COUNT(*) > 0, 'DROP INDEX IDX_${prefix}T_NFT_ST ON ${prefix}TRIGGERS', 'DO 0')
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
  AND TABLE_NAME = '${prefix}TRIGGERS' AND INDEX_NAME = 'IDX_${prefix}T_NFT_ST');
PREPARE drop_index FROM @drop;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
SET @drop = (SELECT IF(COUNT(*) > 0, 'DROP INDEX IDX_${prefix}FT_TRIG_INST_NAME ON ${prefix}FIRED_TRIGGERS', 'DO 0')
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
  AND TABLE_NAME = '${prefix}FIRED_TRIGGERS' AND INDEX_NAME = 'IDX_${prefix}FT_TRIG_INST_NAME');
PREPARE drop_index FROM @drop;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
SET @drop = (SELECT IF(COUNT(*) > 0, 'DROP INDEX IDX_${prefix}FT_JG ON ${prefix}FIRED_TRIGGERS', 'DO 0')
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
  AND TABLE_NAME = '${prefix}FIRED_TRIGGERS' AND INDEX_NAME = 'IDX_${prefix}FT_JG');
PREPARE drop_index FROM @drop;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
SET @drop = (SELECT IF(COUNT(*) > 0, 'DROP INDEX IDX_${prefix}FT_TG ON ${prefix}FIRED_TRIGGERS', 'DO 0')
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
  AND TABLE_NAME = '${prefix}FIRED_TRIGGERS' AND INDEX_NAME = 'IDX_${prefix}FT_TG');
PREPARE drop_index FROM @drop;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
SET @drop = (SELECT IF(COUNT(*) > 0, 'DROP INDEX IDX_${prefix}J_REQ_RECOVERY ON ${prefix}JOB_DETAILS', 'DO 0')
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
  AND TABLE_NAME = '${prefix}JOB_DETAILS' AND INDEX_NAME = 'IDX_${prefix}J_REQ_RECOVERY');
PREPARE drop_index FROM @drop;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
