/**
 * The execution history: {@link dev.baton.history.ExecutionHistory} (one entry per execution
 * attempt, queried by {@link dev.baton.history.HistoryQuery}), {@link
 * dev.baton.history.ExecutionLog} for job code to attach details to its own entry, and the values
 * they return. API only: the recorder and writer are in {@code dev.baton.internal.history}.
 */
package dev.baton.history;
