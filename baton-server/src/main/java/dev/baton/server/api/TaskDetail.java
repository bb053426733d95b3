package dev.baton.server.api;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.baton.Baton;
import dev.baton.history.Execution;
import dev.baton.history.HistoryQuery;
import dev.baton.history.Outcome;
import dev.baton.scheduling.TaskInfo;
import dev.baton.scheduling.TriggerInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;

/**
 * What the task page shows of one task beyond its {@link TaskView}: its next fire times, computed
 * from its triggers' schedules; where it runs now and since when; and its retry and concurrency
 * state. Its history comes from {@code /api/history?task=}.
 */
final class TaskDetail {
  /** The most fire times one request may ask for. */
  static final int MAX_NEXT = 100;

  static final int DEFAULT_NEXT = 5;

  /** Running executions listed at most; a task with a concurrency limit has fewer. */
  private static final int MAX_RUNNING = 100;

  private TaskDetail() {}

  /** The task's view with the detail's fields added. */
  static Map<String, Object> of(Baton baton, TaskInfo task) {
    TaskView view = TaskView.of(task, baton.isRunning());
    Map<String, Object> out =
        Json.MAPPER.convertValue(view, new TypeReference<LinkedHashMap<String, Object>>() {});
    boolean paused =
        !task.triggers().isEmpty()
            && task.triggers().stream()
                .filter(t -> !"baton.retry".equals(t.group()))
                .allMatch(t -> t.state().startsWith("PAUSED"));
    out.put("paused", paused);
    out.put("nextFireTimes", nextFireTimes(baton, task, DEFAULT_NEXT));
    out.put("runningNow", runningNow(baton, task.name()));
    Map<String, Object> retry = new LinkedHashMap<>();
    retry.put("policy", view.retry());
    retry.put("pending", view.pendingRetries());
    retry.put(
        "pendingAt",
        task.triggers().stream()
            .filter(t -> "baton.retry".equals(t.group()) && t.nextFireTime() != null)
            .map(TriggerInfo::nextFireTime)
            .sorted()
            .toList());
    out.put("retryState", retry);
    Map<String, Object> limit = new LinkedHashMap<>();
    limit.put("maxConcurrent", task.maxConcurrent());
    limit.put("running", view.running());
    limit.put("atLimit", task.maxConcurrent() != null && view.running() >= task.maxConcurrent());
    limit.put("nonConcurrent", task.nonConcurrent());
    out.put("concurrency", limit);
    return out;
  }

  /**
   * The next {@code count} fire times of the task, every trigger's merged (its own schedule,
   * pending retries, a pending run-now), each trigger followed from its stored next fire time with
   * Quartz's own calculation (cron in its time zone, intervals, one-shots). A stored time already
   * past (the trigger is blocked or misfired) comes first as it is. Paused triggers are included:
   * they are when it would fire once resumed.
   */
  static List<Instant> nextFireTimes(Baton baton, TaskInfo task, int count) {
    List<Instant> times = new ArrayList<>();
    for (TriggerInfo info : task.triggers()) {
      if (info.nextFireTime() == null) continue;
      Trigger trigger;
      try {
        trigger = baton.quartz().getTrigger(TriggerKey.triggerKey(info.name(), info.group()));
      } catch (SchedulerException e) {
        throw new dev.baton.BatonException(
            "Could not read trigger " + info.group() + "." + info.name() + ": " + e.getMessage(),
            e);
      }
      Date next = Date.from(info.nextFireTime());
      Date now = new Date();
      for (int i = 0; i < count && next != null; i++) {
        times.add(next.toInstant());
        // An overdue time (a blocked or misfired trigger) is shown as it is stored; the ones after
        // it are the schedule's from now on, not a backlog that the misfire policy would skip.
        next = trigger == null ? null : trigger.getFireTimeAfter(next.before(now) ? now : next);
      }
    }
    times.sort(null);
    return times.size() > count ? List.copyOf(times.subList(0, count)) : List.copyOf(times);
  }

  /** Where it runs now, from the history's RUNNING entries: node, since, execution id. */
  private static List<Map<String, Object>> runningNow(Baton baton, String task) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Execution e :
        baton
            .history()
            .query(HistoryQuery.all().task(task).outcomes(Outcome.RUNNING).limit(MAX_RUNNING))
            .entries()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("nodeId", e.node());
      m.put("since", e.startedAt());
      m.put("executionId", e.id());
      m.put("recovery", e.recovery());
      out.add(m);
    }
    return out;
  }
}
