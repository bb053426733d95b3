/**
 * ShedLock on Baton's cluster locks: {@link dev.baton.shedlock.BatonLockProvider} is a ShedLock
 * {@code LockProvider} whose locks are Baton {@link dev.baton.locks.ClusterLock}s, with leases
 * measured by the database clock and fencing tokens.
 */
package dev.baton.shedlock;
