/**
 * Internal: Baton's engine, not API. Public only so that Baton's own packages can reach it; not
 * exported by {@code module-info}; may change in any release without notice.
 *
 * <p>{@link dev.baton.internal.NodeStartup} runs a node's start in its numbered steps; {@link
 * dev.baton.internal.ClusterScheduler} drives Quartz; the listeners here run tasks under locks and
 * schedule retries; {@code store} holds the job store, {@code database} the connection provider,
 * dialect and clock, {@code classloading} the shared class loading, {@code history} the recorder.
 */
package dev.baton.internal;
