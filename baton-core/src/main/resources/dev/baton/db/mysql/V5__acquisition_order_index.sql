-- Due triggers are acquired in (NEXT_FIRE_TIME, PRIORITY DESC) order. Quartz's index stops at
-- NEXT_FIRE_TIME, so when many triggers are due at the same millisecond (a bulk of one-off tasks)
-- every acquisition sorted the whole tie group; with PRIORITY in the index it reads only the
-- rows it takes (descending index parts: MySQL 8, MariaDB 10.8 and later). Quartz's index stays:
-- MySQL cannot drop an index only if it exists, and adopted installations may lack it.
CREATE INDEX IDX_${prefix}T_NFT_ST_PRIO ON ${prefix}TRIGGERS (SCHED_NAME, TRIGGER_STATE, NEXT_FIRE_TIME, PRIORITY DESC);
