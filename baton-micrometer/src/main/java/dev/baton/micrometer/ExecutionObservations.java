package dev.baton.micrometer;

import dev.baton.scheduling.Task;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;

/**
 * One observation per execution, open on the worker thread from just before the job's code runs
 * until just after: Quartz calls a job listener there on both sides. A vetoed firing never reaches
 * the job, so its observation is started and stopped at once, with outcome {@code vetoed}.
 */
final class ExecutionObservations implements JobListener {
  static final String EXECUTION = "baton.job.execution";

  /** Where the open observation waits, in the firing's own context, for the job to end. */
  private static final String OPEN = Task.RESERVED_PREFIX + "observation";

  private final ObservationRegistry registry;
  private final String nodeId;

  ExecutionObservations(ObservationRegistry registry, String nodeId) {
    this.registry = registry;
    this.nodeId = nodeId;
  }

  private record Open(Observation observation, Observation.Scope scope) {}

  @Override
  public String getName() {
    return "baton-observations";
  }

  @Override
  public void jobToBeExecuted(JobExecutionContext ctx) {
    try {
      Observation o = start(ctx);
      ctx.put(OPEN, new Open(o, o.openScope()));
    } catch (RuntimeException ignored) {
      // Observing must never disturb an execution.
    }
  }

  @Override
  public void jobWasExecuted(JobExecutionContext ctx, JobExecutionException failure) {
    try {
      if (!(ctx.get(OPEN) instanceof Open open)) return;
      ctx.put(OPEN, null);
      Observation o = open.observation();
      o.lowCardinalityKeyValue("baton.outcome", failure == null ? "success" : "failure");
      if (failure != null) o.error(failure.getCause() != null ? failure.getCause() : failure);
      // The token is known once the lock is taken, just before the job ran.
      if (ctx.get(Task.FENCING_TOKEN) instanceof Long token) {
        o.highCardinalityKeyValue("baton.fencing_token", token.toString());
      }
      open.scope().close();
      o.stop();
    } catch (RuntimeException ignored) {
      // Observing must never disturb an execution.
    }
  }

  @Override
  public void jobExecutionVetoed(JobExecutionContext ctx) {
    try {
      start(ctx).lowCardinalityKeyValue("baton.outcome", "vetoed").stop();
    } catch (RuntimeException ignored) {
      // Observing must never disturb an execution.
    }
  }

  private Observation start(JobExecutionContext ctx) {
    JobDataMap data = ctx.getMergedJobDataMap();
    return Observation.createNotStarted(EXECUTION, registry)
        .contextualName("baton " + ctx.getJobDetail().getKey().getName())
        .lowCardinalityKeyValue("baton.task", ctx.getJobDetail().getKey().getName())
        .lowCardinalityKeyValue("baton.trigger.type", FiringKind.of(ctx.getTrigger(), data))
        .highCardinalityKeyValue("baton.node", nodeId)
        .highCardinalityKeyValue("baton.attempt", FiringKind.attempt(data))
        .highCardinalityKeyValue("baton.fire_instance_id", ctx.getFireInstanceId())
        .start();
  }

  @Override
  public String toString() {
    return getName();
  }
}
