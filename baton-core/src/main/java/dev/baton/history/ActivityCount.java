package dev.baton.history;

import java.time.Instant;

/**
 * How many executions one node started in one time bucket with one outcome; what a dashboard draws
 * as "executions per node over time" ({@link ExecutionHistory#activity}).
 *
 * @param node the node that took the firings
 * @param bucketStart the start of the bucket
 * @param outcome the executions' outcome
 * @param count how many
 */
public record ActivityCount(String node, Instant bucketStart, Outcome outcome, long count) {}
