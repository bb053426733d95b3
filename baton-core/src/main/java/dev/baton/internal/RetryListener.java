package dev.baton.internal;

import dev.baton.history.ExecutionLog;
import dev.baton.internal.database.DatabaseClock;
import dev.baton.internal.store.BatonJobStore;
import dev.baton.internal.tracing.TriggerContexts;
import dev.baton.scheduling.InvalidRetryPolicyException;
import dev.baton.scheduling.RetryPolicy;
import dev.baton.scheduling.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.listeners.JobListenerSupport;
import org.quartz.spi.OperableTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules the next attempt of a failed firing whose task has a {@link RetryPolicy}. Quartz calls
 * job listeners just before it completes the firing; the retry's trigger is handed to the store,
 * which writes it in the transaction that completes the failed attempt ({@link
 * BatonJobStore#retryWithCompletion}). A node that dies before that commit leaves the attempt
 * running for the cluster (a recoverable task runs it again, and that run decides on a retry), one
 * that dies after it leaves the retry stored: never both, never neither. The retry is a one-shot
 * trigger of the same job, so it takes the task's lock, keeps its non-concurrency and shows in its
 * triggers.
 *
 * <p>Each attempt's history entry gets details: {@value #ATTEMPT} ("2/5"), and either {@value
 * #RETRY_DELAY} and {@value #RETRY_AT} for the attempt scheduled, or {@value #RETRY} "exhausted" or
 * "not retryable" when the failure is terminal. Registered before the history recorder, so that the
 * details are there when it writes the entry.
 */
final class RetryListener extends JobListenerSupport {
  private static final Logger log = LoggerFactory.getLogger(RetryListener.class);

  /** Trigger data: which attempt this firing is (absent for the first). */
  static final String ATTEMPT_KEY = "baton.attempt";

  /** Trigger data: the fire instance id of the first attempt. */
  static final String FIRST_ATTEMPT_KEY = "baton.firstAttempt";

  /** Trigger data: a manual retry of a terminal failure, run once and not retried. */
  static final String MANUAL_KEY = "baton.manualRetry";

  /** Retry triggers' group. */
  static final String GROUP = "baton.retry";

  static final String ATTEMPT = "baton.attempt";
  static final String RETRY = "baton.retry";
  static final String RETRY_DELAY = "baton.retryDelayMs";
  static final String RETRY_AT = "baton.retryAt";

  private final String node;
  private final DatabaseClock clock;
  private final BatonJobStore store;
  private final LongAdder scheduled = new LongAdder();
  private final LongAdder exhausted = new LongAdder();

  RetryListener(String node, DatabaseClock clock, BatonJobStore store) {
    this.node = node;
    this.clock = clock;
    this.store = store;
  }

  @Override
  public String getName() {
    return "baton-retries";
  }

  /** Retries this node scheduled since it started. */
  long scheduled() {
    return scheduled.sum();
  }

  /** Firings this node ended as terminal failures: attempts exhausted, or not retryable. */
  long exhausted() {
    return exhausted.sum();
  }

  // Catches everything: Quartz sends a trigger to ERROR when a listener throws.
  @Override
  public void jobWasExecuted(JobExecutionContext ctx, JobExecutionException failure) {
    try {
      decide(ctx, failure);
    } catch (RuntimeException e) {
      log.error("Node {}: could not decide on a retry of {}", node, ctx.getFireInstanceId(), e);
    }
  }

  private void decide(JobExecutionContext ctx, JobExecutionException failure) {
    if (ctx.getJobInstance() instanceof UnavailableJob) return; // nothing ran: not a failure of it
    RetryPolicy policy;
    try {
      policy = RetryPolicy.fromData(ctx.getJobDetail().getJobDataMap());
    } catch (InvalidRetryPolicyException e) {
      log.error(
          "Node {}: job {} holds an invalid retry policy, not retried: {}",
          node,
          ctx.getJobDetail().getKey(),
          e.getMessage());
      return;
    }
    if (policy == null) return;
    JobDataMap triggerData = ctx.getTrigger().getJobDataMap();
    boolean manual = "true".equals(triggerData.get(MANUAL_KEY));
    int attempt = attemptOf(triggerData);
    ExecutionLog history = ExecutionLog.of(ctx);
    history.detail(ATTEMPT, manual ? "manual" : attempt + "/" + policy.maxAttempts());
    if (failure == null) return;
    if (manual) {
      terminal(history, "manual retry, not retried");
      return;
    }
    if (!policy.retries(failure)) {
      terminal(history, "not retryable");
      return;
    }
    if (attempt >= policy.maxAttempts()) {
      terminal(history, "exhausted");
      return;
    }
    Duration delay = policy.delayBefore(attempt + 1, ThreadLocalRandom.current()::nextDouble);
    long at = clock.now() + delay.toMillis();
    OperableTrigger next = (OperableTrigger) nextAttempt(ctx, triggerData, attempt + 1, at);
    next.computeFirstFireTime(null);
    store.retryWithCompletion(ctx.getFireInstanceId(), next);
    scheduled.increment();
    history.detail(RETRY, "scheduled");
    history.detail(RETRY_DELAY, Long.toString(delay.toMillis()));
    history.detail(RETRY_AT, Instant.ofEpochMilli(at).toString());
    log.info(
        "Node {}: {} failed (attempt {}/{}); attempt {} in {} ms",
        node,
        ctx.getJobDetail().getKey(),
        attempt,
        policy.maxAttempts(),
        attempt + 1,
        delay.toMillis());
  }

  private void terminal(ExecutionLog history, String why) {
    exhausted.increment();
    history.detail(RETRY, why);
  }

  /** The next attempt: the failed firing's trigger data, a one-shot that fires at once if late. */
  private static Trigger nextAttempt(
      JobExecutionContext ctx, JobDataMap triggerData, int attempt, long at) {
    JobDataMap data = new JobDataMap();
    for (Map.Entry<String, Object> e : triggerData.entrySet()) {
      if (!e.getKey().startsWith(Task.RESERVED_PREFIX)) data.put(e.getKey(), e.getValue());
    }
    String first = triggerData.getString(FIRST_ATTEMPT_KEY);
    if (first == null) first = ctx.getFireInstanceId();
    data.put(ATTEMPT_KEY, Integer.toString(attempt));
    data.put(FIRST_ATTEMPT_KEY, first);
    // Called on the failed attempt's worker thread: the context is the failed attempt's own.
    data.putAll(TriggerContexts.current());
    return TriggerBuilder.newTrigger()
        // One name per attempt of one firing: stored at most once.
        .withIdentity(first + "." + attempt, GROUP)
        .forJob(ctx.getJobDetail())
        .usingJobData(data)
        .startAt(new Date(at))
        .withSchedule(
            SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
        .build();
  }

  static int attemptOf(JobDataMap triggerData) {
    Object v = triggerData.get(ATTEMPT_KEY);
    if (v == null) return 1;
    try {
      return Math.max(1, Integer.parseInt(v.toString()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
