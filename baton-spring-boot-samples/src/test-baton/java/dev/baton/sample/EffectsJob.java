package dev.baton.sample;

import dev.baton.scheduling.ExactlyOnce;
import dev.baton.scheduling.Executions;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/**
 * An exactly-once job whose writes go through a {@code @Transactional} service, with 1.2 s of work
 * between them, all inside the execution's transaction.
 */
@ExactlyOnce
@DisallowConcurrentExecution
public class EffectsJob implements Job {
  private final EffectsService effects;

  public EffectsJob(EffectsService effects) {
    this.effects = effects;
  }

  @Override
  public void execute(JobExecutionContext ctx) throws JobExecutionException {
    try {
      String node = ctx.getScheduler().getSchedulerInstanceId();
      effects.record(ctx.getFireInstanceId(), node, Executions.fencingToken(ctx).orElseThrow());
      Thread.sleep(1_200);
      effects.finish(ctx.getFireInstanceId());
    } catch (SchedulerException e) {
      throw new JobExecutionException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobExecutionException(e);
    }
  }
}
