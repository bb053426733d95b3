/**
 * Cluster locks: {@link dev.baton.locks.ClusterLocks} hands out {@link
 * dev.baton.locks.ClusterLock}s with an owner, a lease and a fencing token, on the application's
 * own database. Each dialect's SQL is one small class behind {@code LockSql}.
 */
package dev.baton.locks;
