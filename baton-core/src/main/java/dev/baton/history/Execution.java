package dev.baton.history;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One execution attempt as recorded in the history. Immutable.
 *
 * @param id the Quartz fire instance id, unique cluster-wide; a {@code JobExecutionException}
 *     re-fire of the same firing gets {@code #<refireCount>} appended
 * @param task the task's name (Quartz job name)
 * @param taskGroup the Quartz job group ({@code baton} for Baton's tasks)
 * @param trigger the trigger's name; for a recovery re-run, the original trigger's, so that it
 *     shares the {@linkplain #firingKey() firing key} of the execution it repeats
 * @param triggerGroup the trigger's group, likewise
 * @param scheduledFireTime when the firing was due (for a recovery re-run: the original firing's)
 * @param startedAt when the job started (for {@link Outcome#VETOED}: when it was vetoed)
 * @param endedAt when it ended; null while {@link Outcome#RUNNING} or {@link Outcome#ABANDONED}
 * @param duration {@code endedAt - startedAt}; null when {@code endedAt} is
 * @param node the id of the node that took the firing
 * @param outcome how it ended
 * @param refireCount how many times Quartz had re-fired this firing before this attempt
 * @param recovery whether this is a re-run of a firing whose node died ({@code isRecovering()})
 * @param fencingToken the cluster lock's fencing token when the task ran under one; else null
 * @param errorClass for {@link Outcome#FAILED}: the exception's class name
 * @param message for FAILED the exception's message, for SKIPPED why the class could not run, for
 *     VETOED the reason the vetoing code gave; bounded, ending in {@code … [truncated N chars]}
 *     when cut
 * @param stackTrace for FAILED: the stack trace, trimmed to a bounded size
 * @param details what job code attached with {@link ExecutionLog#detail}, in order; never null
 * @param log the lines job code attached with {@link ExecutionLog#line}, one per line; null if
 *     none. Ends in {@code … [truncated N chars]} when details and lines exceeded the bound
 */
public record Execution(
    String id,
    String task,
    String taskGroup,
    String trigger,
    String triggerGroup,
    Instant scheduledFireTime,
    Instant startedAt,
    Instant endedAt,
    Duration duration,
    String node,
    Outcome outcome,
    int refireCount,
    boolean recovery,
    Long fencingToken,
    String errorClass,
    String message,
    String stackTrace,
    Map<String, String> details,
    String log) {

  /** Copies {@code details} so that the entry stays immutable. */
  public Execution {
    details =
        details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /**
   * The duplicate key: trigger group, name and scheduled fire time. Two entries with the same key
   * that both {@linkplain Outcome#ran() ran} are one firing executed twice.
   */
  public String firingKey() {
    return triggerGroup
        + "."
        + trigger
        + "@"
        + (scheduledFireTime == null ? "?" : scheduledFireTime.toEpochMilli());
  }
}
