/**
 * Baton's front door: {@link dev.baton.Baton} (one node's lifecycle, built by {@link
 * dev.baton.Baton#builder}), {@link dev.baton.BatonClient} (what applications and Baton's own
 * modules do with a cluster: tasks, history, locks, nodes), the validated {@link
 * dev.baton.BatonSettings} and the root of Baton's exceptions, {@link dev.baton.BatonException}.
 *
 * <p>The published API is this package and {@code scheduling}, {@code history}, {@code locks} and
 * {@code migration}. Everything under {@code dev.baton.internal} is Baton's engine: public only so
 * that its own packages (and Quartz, which instantiates some classes by name) can reach it; it is
 * not exported by {@code module-info} and may change in any release.
 */
package dev.baton;
