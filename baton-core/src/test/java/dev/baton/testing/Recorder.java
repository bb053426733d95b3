package dev.baton.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.quartz.JobExecutionContext;

/** What test jobs did, in one JVM-wide log that each test clears first. */
public final class Recorder {
  /** One execution of a test job. */
  public record Execution(
      String task,
      String node,
      Instant scheduled,
      Instant started,
      Instant ended,
      String fireInstanceId,
      java.util.Map<String, String> data,
      Instant fired) {}

  private static final Queue<Execution> EXECUTIONS = new ConcurrentLinkedQueue<>();
  private static final Queue<Execution> STARTED = new ConcurrentLinkedQueue<>();

  private Recorder() {}

  public static void clear() {
    EXECUTIONS.clear();
    STARTED.clear();
  }

  /** Records the start, runs {@code body}, records the whole execution. */
  public static void record(JobExecutionContext ctx, Runnable body) {
    Instant start = Instant.now();
    String node;
    try {
      node = ctx.getScheduler().getSchedulerInstanceId();
    } catch (org.quartz.SchedulerException e) {
      throw new IllegalStateException(e);
    }
    java.util.Map<String, String> data = new java.util.TreeMap<>();
    ctx.getMergedJobDataMap().forEach((k, v) -> data.put(k, String.valueOf(v)));
    String task = ctx.getJobDetail().getKey().getName();
    Instant scheduled =
        ctx.getScheduledFireTime() == null ? null : ctx.getScheduledFireTime().toInstant();
    Instant fired = ctx.getFireTime().toInstant();
    STARTED.add(
        new Execution(task, node, scheduled, start, null, ctx.getFireInstanceId(), data, fired));
    try {
      body.run();
    } finally {
      EXECUTIONS.add(
          new Execution(
              task, node, scheduled, start, Instant.now(), ctx.getFireInstanceId(), data, fired));
    }
  }

  /** Finished executions of {@code task}, in the order they finished. */
  public static List<Execution> of(String task) {
    return EXECUTIONS.stream().filter(e -> e.task().equals(task)).collect(Collectors.toList());
  }

  /** Started executions of {@code task}, finished or not. */
  public static List<Execution> startedOf(String task) {
    return new ArrayList<>(STARTED.stream().filter(e -> e.task().equals(task)).toList());
  }
}
