-- Fencing tokens for every execution: a firing transaction takes one value and numbers its
-- firings from it (value * 1000 + i), so tokens increase across the cluster in firing order.
CREATE SEQUENCE ${prefix}BATON_EXECUTION_TOKENS START WITH 1 INCREMENT BY 1 NO CACHE;
