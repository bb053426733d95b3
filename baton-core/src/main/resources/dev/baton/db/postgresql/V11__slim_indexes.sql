-- Every firing rewrites its trigger's row and writes an execution entry, and every index on those
-- tables is written with them (a firing changes TRIGGER_STATE and NEXT_FIRE_TIME, so PostgreSQL
-- cannot update in place). Quartz's schema carries indexes that no statement Baton runs needs:
-- each is a leading part of an index that stays, or serves only a rare management read (a
-- calendar's triggers, a job group's triggers) that a scan does as well. They go; indexes an
-- adopted installation never had are skipped.
--   kept on TRIGGERS: the primary key, T_J (a job's triggers; the foreign key's), T_N_G_STATE (a
--   trigger group's), T_NFT_ST_PRIO (acquisition), T_NFT_ST_MISFIRE (misfire scan)
--   kept on FIRED_TRIGGERS: the primary key, FT_INST_JOB_REQ_RCVRY (a node's entries), FT_J_G (a
--   job's executions), FT_T_G (a trigger's)
DROP INDEX IF EXISTS IDX_${prefix}T_JG;
DROP INDEX IF EXISTS IDX_${prefix}T_C;
DROP INDEX IF EXISTS IDX_${prefix}T_G;
DROP INDEX IF EXISTS IDX_${prefix}T_STATE;
DROP INDEX IF EXISTS IDX_${prefix}T_N_STATE;
DROP INDEX IF EXISTS IDX_${prefix}T_NEXT_FIRE_TIME;
DROP INDEX IF EXISTS IDX_${prefix}T_NFT_MISFIRE;
DROP INDEX IF EXISTS IDX_${prefix}T_NFT_ST_MISFIRE_GRP;
DROP INDEX IF EXISTS IDX_${prefix}FT_TRIG_INST_NAME;
DROP INDEX IF EXISTS IDX_${prefix}FT_JG;
DROP INDEX IF EXISTS IDX_${prefix}FT_TG;
DROP INDEX IF EXISTS IDX_${prefix}J_REQ_RECOVERY;
