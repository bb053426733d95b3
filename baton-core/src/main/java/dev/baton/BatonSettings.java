package dev.baton;

import dev.baton.scheduling.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * Everything a node is configured with, validated by {@link Baton.Builder#settings()} and immutable
 * afterwards.
 *
 * @param dataSource the application's pool; Baton never builds one of its own
 * @param schedulerDataSource the pool Quartz's own threads use: the application's by default, or a
 *     separate small pool on the same database so that Quartz never waits behind a saturated
 *     application pool
 * @param clusterName the Quartz scheduler name; every node of one cluster uses the same
 * @param nodeId unique per process
 * @param tablePrefix prefix of every Quartz and Baton table
 * @param threads worker threads that run jobs
 * @param checkinInterval how often the node tells the cluster it is alive
 * @param failureGrace how long past a missed check-in a node is declared dead and its work recovered
 * @param misfireThreshold how late a firing may be before its misfire policy applies
 * @param idleWait how long an idle node waits before looking for due triggers again
 * @param batchSize how many due triggers one acquisition may take
 * @param drainTimeout how long {@link Baton#close()} waits for running executions
 * @param startupTimeout how long start-up waits for the database to become reachable
 * @param pluginDirectory jars of job classes loaded at start; may be null
 * @param tasks registered at every start
 * @param history whether this node records its executions in the history table
 * @param historyRetention how long finished history entries are kept
 * @param historyMaxRows how many finished history entries are kept at most
 */
public record BatonSettings(
    DataSource dataSource,
    DataSource schedulerDataSource,
    String clusterName,
    String nodeId,
    String tablePrefix,
    int threads,
    Duration checkinInterval,
    Duration failureGrace,
    Duration misfireThreshold,
    Duration idleWait,
    int batchSize,
    Duration drainTimeout,
    Duration startupTimeout,
    Path pluginDirectory,
    List<Task> tasks,
    boolean history,
    Duration historyRetention,
    long historyMaxRows) {}
