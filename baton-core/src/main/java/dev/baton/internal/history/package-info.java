/**
 * Internal, not API: how the execution history is recorded (a job listener feeding a batched
 * writer), read ({@link dev.baton.internal.history.JdbcExecutionHistory}) and trimmed.
 */
package dev.baton.internal.history;
