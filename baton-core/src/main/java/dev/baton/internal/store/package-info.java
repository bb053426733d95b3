/**
 * Internal, not API: the clustered job store. {@link dev.baton.internal.store.BatonJobStore} is
 * Quartz's {@code JobStoreTX} with Baton's rules; the mechanisms it routes to (claiming, firing,
 * completing, recovery, the non-concurrency rule, ERROR reset) are the small classes beside it.
 */
package dev.baton.internal.store;
