-- Quartz's misfire scan (SCHED_NAME = ? AND TRIGGER_STATE = ? AND NEXT_FIRE_TIME < ?, misfire
-- instruction not -1, ordered by NEXT_FIRE_TIME, PRIORITY DESC) is served by T_NFT_ST_PRIO, whose
-- key is exactly those columns in that order; T_NFT_ST_MISFIRE leads with MISFIRE_INSTR, which
-- the scan compares with <>, so it served the scan worse, and every stored trigger and every
-- firing wrote it. It goes; an installation that never had it skips this.
--   kept on TRIGGERS: the primary key, T_J (a job's triggers; the foreign key's), T_N_G_STATE (a
--   trigger group's), T_NFT_ST_PRIO (acquisition and the misfire scan)
DROP INDEX IF EXISTS IDX_${prefix}T_NFT_ST_MISFIRE;
