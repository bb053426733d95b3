-- The fast lane (see FastLane): ordinary triggers are claimed with row locks instead of Quartz's
-- cluster-wide TRIGGER_ACCESS lock. BATON_CLAIM holds the fired-trigger entry id of the claim that
-- set a trigger ACQUIRED, so that a claim whose trigger was since replaced, paused, recovered or
-- claimed again by someone else can never fire it.
ALTER TABLE ${prefix}TRIGGERS ADD BATON_CLAIM VARCHAR(95) NULL;
-- STARTED_AT of the node incarnation that speaks the fast-lane protocol; the fast lane is on only
-- while every live node's row says so (a node of an older version, or a stock Quartz, turns it off).
ALTER TABLE ${prefix}BATON_NODES ADD PROTOCOL_SINCE BIGINT NULL;
