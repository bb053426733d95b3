package dev.baton.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * A cluster member, from Quartz's check-in table and Baton's node table.
 *
 * @param nodeId the Quartz instance id
 * @param lastCheckin when it last checked in (its own clock)
 * @param checkinInterval how often it checks in
 * @param alive whether its last check-in is recent enough for it to count as live
 * @param host host name, null for a node that is not a Baton node
 * @param pid process id, or -1
 * @param version Baton version, null for a node that is not a Baton node
 * @param startedAt when it started, null if unknown
 * @param runnableClasses which of the cluster's job classes it can run
 */
public record NodeInfo(
    String nodeId,
    Instant lastCheckin,
    Duration checkinInterval,
    boolean alive,
    String host,
    long pid,
    String version,
    Instant startedAt,
    Set<String> runnableClasses) {}
