package dev.baton.server.api;

import dev.baton.scheduling.TaskInfo;
import dev.baton.scheduling.TriggerInfo;
import dev.baton.server.tasks.BuiltInTypes;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A task as the API shows it: {@link TaskInfo} plus a summary state and fire times, so that clients
 * need not inspect triggers.
 *
 * @param state the most telling trigger state: ERROR, BLOCKED, EXECUTING, PAUSED, … or NONE
 * @param type the built-in type name, null for plugin job classes
 * @param stuck true when no live node can run it
 * @param lock the cluster lock every firing takes first; null if none
 * @param lockLeaseMs that lock's lease; null without a lock
 * @param retry the retry policy in the shape a definition gives it; null for none
 * @param pendingRetries retries stored and not yet fired (triggers in group {@code baton.retry})
 * @param pendingRuns runs submitted and not yet fired ({@code POST /api/tasks/{name}/runs})
 * @param maxConcurrent executions allowed at once, cluster-wide; null for no limit
 * @param running executions running now, cluster-wide
 * @param notRunnableReason why no node can run it whatever classes it has (data a stock Quartz
 *     stored as a serialized Java object); null otherwise
 */
public record TaskView(
    String name,
    String group,
    String type,
    String jobClass,
    String description,
    String schedule,
    String misfirePolicy,
    boolean recoverable,
    boolean nonConcurrent,
    Map<String, String> data,
    String state,
    Instant nextFireTime,
    Instant previousFireTime,
    boolean runnableHere,
    boolean runnableByLiveNode,
    boolean stuck,
    List<String> runningOn,
    String lock,
    Long lockLeaseMs,
    Map<String, Object> retry,
    int pendingRetries,
    int pendingRuns,
    Integer maxConcurrent,
    int running,
    List<TriggerInfo> triggers,
    String notRunnableReason) {

  /** Worst first: what an operator should notice. */
  private static final List<String> SEVERITY =
      List.of(
          "ERROR",
          "BLOCKED",
          "PAUSED_BLOCKED",
          "EXECUTING",
          "ACQUIRED",
          "PAUSED",
          "WAITING",
          "COMPLETE");

  /**
   * The view of one task, as seen by a node; {@code servingNodeRuns} says whether that node is
   * running. A node that is running and can run the task is itself a live node that can run it:
   * this covers the seconds before a newly created task's class appears in the published node rows,
   * which would otherwise flag it as stuck for a moment.
   */
  public static TaskView of(TaskInfo t, boolean servingNodeRuns) {
    // runnableHere is false whenever notRunnableReason is set, so such a task is always stuck.
    boolean runnableByLive = t.runnableByLiveNode() || (servingNodeRuns && t.runnableHere());
    List<TriggerInfo> triggers = t.triggers();
    String state =
        triggers.stream()
            .map(TriggerInfo::state)
            .min(
                Comparator.comparingInt(
                    s -> SEVERITY.indexOf(s) < 0 ? SEVERITY.size() : SEVERITY.indexOf(s)))
            .orElse("NONE");
    Instant next =
        triggers.stream()
            .map(TriggerInfo::nextFireTime)
            .filter(Objects::nonNull)
            .min(Comparator.naturalOrder())
            .orElse(null);
    Instant previous =
        triggers.stream()
            .map(TriggerInfo::previousFireTime)
            .filter(Objects::nonNull)
            .max(Comparator.naturalOrder())
            .orElse(null);
    return new TaskView(
        t.name(),
        t.group(),
        BuiltInTypes.typeOf(t.jobClass()).orElse(null),
        t.jobClass(),
        t.description(),
        t.schedule(),
        t.misfirePolicy() == null ? null : t.misfirePolicy().name(),
        t.recoverable(),
        t.nonConcurrent(),
        t.data(),
        state,
        next,
        previous,
        t.runnableHere(),
        runnableByLive,
        !runnableByLive,
        t.runningOn(),
        t.lock(),
        t.lockLease() == null ? null : t.lockLease().toMillis(),
        RetryRequest.view(t.retryPolicy()),
        (int) triggers.stream().filter(x -> "baton.retry".equals(x.group())).count(),
        t.pendingRuns(),
        t.maxConcurrent(),
        t.runningOn().size(),
        triggers,
        t.notRunnableReason());
  }
}
