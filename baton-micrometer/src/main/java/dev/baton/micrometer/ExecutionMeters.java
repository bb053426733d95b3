package dev.baton.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Trigger;
import org.quartz.Trigger.CompletedExecutionInstruction;
import org.quartz.TriggerListener;

/**
 * Counts this node's executions by task and outcome, times them, measures how late they started,
 * and counts misfires. Listener callbacks run on Quartz threads and must never throw, so each is
 * guarded.
 */
final class ExecutionMeters implements JobListener, TriggerListener {
  /** Job data of a task with a concurrency limit ({@code Task.Builder#maxConcurrent}). */
  private static final String MAX_CONCURRENT_KEY = "baton.maxConcurrent";

  private final MeterRegistry registry;

  ExecutionMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public String getName() {
    return "baton-micrometer";
  }

  @Override
  public void jobToBeExecuted(JobExecutionContext context) {
    try {
      if (context.getScheduledFireTime() == null) return;
      long late = context.getFireTime().getTime() - context.getScheduledFireTime().getTime();
      Timer.builder("baton.execution.lateness")
          .description("Start time minus scheduled fire time")
          .tag("task", task(context))
          .register(registry)
          .record(Duration.ofMillis(Math.max(0, late)));
      // For a task with a concurrency limit, lateness is mostly the wait for a free slot.
      if (context.getJobDetail().getJobDataMap().containsKey(MAX_CONCURRENT_KEY)) {
        Timer.builder("baton.concurrency.slot.wait")
            .description(
                "Start minus scheduled time of tasks with a concurrency limit: the wait for a slot")
            .tag("task", task(context))
            .register(registry)
            .record(Duration.ofMillis(Math.max(0, late)));
      }
    } catch (RuntimeException ignored) {
      // Metrics must never disturb an execution.
    }
  }

  @Override
  public void jobExecutionVetoed(JobExecutionContext context) {
    try {
      Counter.builder("baton.executions")
          .description("Executions finished on this node, by task and outcome")
          .tag("task", task(context))
          .tag("outcome", "vetoed")
          .register(registry)
          .increment();
    } catch (RuntimeException ignored) {
      // Metrics must never disturb an execution.
    }
  }

  @Override
  public void jobWasExecuted(JobExecutionContext context, JobExecutionException failure) {
    try {
      String task = task(context);
      String outcome = failure == null ? "success" : "failure";
      Counter.builder("baton.executions")
          .description("Executions finished on this node, by task and outcome")
          .tag("task", task)
          .tag("outcome", outcome)
          .register(registry)
          .increment();
      Timer.builder("baton.execution.duration")
          .description("How long executions ran")
          .tag("task", task)
          .register(registry)
          .record(Duration.ofMillis(Math.max(0, context.getJobRunTime())));
    } catch (RuntimeException ignored) {
      // Metrics must never disturb an execution.
    }
  }

  @Override
  public void triggerFired(Trigger trigger, JobExecutionContext context) {}

  @Override
  public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
    return false;
  }

  @Override
  public void triggerMisfired(Trigger trigger) {
    try {
      Counter.builder("baton.misfires")
          .description("Firings missed past the misfire threshold, handled by their misfire policy")
          .tag("task", trigger.getJobKey().getName())
          .register(registry)
          .increment();
    } catch (RuntimeException ignored) {
      // Metrics must never disturb scheduling.
    }
  }

  @Override
  public void triggerComplete(
      Trigger trigger, JobExecutionContext context, CompletedExecutionInstruction instruction) {}

  private static String task(JobExecutionContext context) {
    return context.getJobDetail().getKey().getName();
  }
}
