-- Fencing tokens for every execution: a firing transaction takes one value and numbers its
-- firings from it (value * 1000 + i), so tokens increase across the cluster in firing order.
-- CACHE 1: a per-session cache would hand a later firing a lower token than an earlier one.
CREATE SEQUENCE ${prefix}BATON_EXECUTION_TOKENS START WITH 1 INCREMENT BY 1 CACHE 1;
