package dev.baton.locks;

import java.time.Instant;

/**
 * A lock as the database holds it. Times come from the database clock.
 *
 * @param name the lock's name
 * @param ownerNode the holder's node id
 * @param ownerThread the name of the thread that acquired it
 * @param fencingToken the holder's token; strictly increasing per name
 * @param acquiredAt when the holder acquired it
 * @param expiresAt when the lease runs out unless renewed
 */
public record LockInfo(
    String name,
    String ownerNode,
    String ownerThread,
    long fencingToken,
    Instant acquiredAt,
    Instant expiresAt) {}
