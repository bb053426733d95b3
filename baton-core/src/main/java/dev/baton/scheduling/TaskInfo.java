package dev.baton.scheduling;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A task as the cluster sees it right now.
 *
 * @param name the task's name (the Quartz job name)
 * @param group the Quartz job group: {@code baton} for Baton's tasks; jobs of an adopted stock
 *     Quartz installation keep their own groups
 * @param jobClass the job class name as stored
 * @param description may be null
 * @param schedule the canonical schedule as registered ({@code cron:… @zone}, {@code every:…ms},
 *     {@code once:…}, {@code on-demand}); null for jobs not created by Baton
 * @param misfirePolicy null for jobs not created by Baton
 * @param recoverable whether an interrupted firing is re-run after its node dies
 * @param nonConcurrent whether executions never overlap, cluster-wide
 * @param data the task's own string data (Baton's reserved keys removed)
 * @param triggers its triggers, with states and fire times, except its pending {@link Run runs}
 * @param pendingRuns how many runs of it are stored and not yet fired
 * @param runnableHere whether this node can load and run the job class (false whenever {@code
 *     notRunnableReason} is set)
 * @param runnableByLiveNode whether at least one live node can; false means the task is stuck until
 *     a node with the class joins (its triggers wait, they are not set to ERROR), or, with {@code
 *     notRunnableReason}, until its data is converted
 * @param runningOn ids of the nodes executing it now
 * @param lock the cluster lock every firing takes first ({@link Task.Builder#underLock}); null if
 *     none
 * @param lockLease the lease of that lock; null without a lock
 * @param retryPolicy how a failed firing is tried again; null when it is not. Pending retries are
 *     among {@code triggers}, in group {@code baton.retry}
 * @param maxConcurrent at most this many executions at once, cluster-wide ({@link
 *     Task.Builder#maxConcurrent}); null for no limit
 * @param notRunnableReason why no node can run the task whatever classes it has (its data, or one
 *     of its triggers', is a serialized Java object left by a stock Quartz; its triggers wait and
 *     are never acquired); null when nothing but a missing class stops it
 */
public record TaskInfo(
    String name,
    String group,
    String jobClass,
    String description,
    String schedule,
    MisfirePolicy misfirePolicy,
    boolean recoverable,
    boolean nonConcurrent,
    Map<String, String> data,
    List<TriggerInfo> triggers,
    int pendingRuns,
    boolean runnableHere,
    boolean runnableByLiveNode,
    List<String> runningOn,
    String lock,
    Duration lockLease,
    RetryPolicy retryPolicy,
    Integer maxConcurrent,
    String notRunnableReason) {}
