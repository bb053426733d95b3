package dev.baton.spring.starter;

import dev.baton.scheduling.ExactlyOnce;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/**
 * An exactly-once job whose write goes through a {@code @Transactional} service; with job data
 * {@code fail} it throws after the service returned (and would have committed on its own).
 */
@ExactlyOnce
public class SpringEffectJob implements Job {
  private final EffectService service;

  public SpringEffectJob(EffectService service) {
    this.service = service;
  }

  @Override
  public void execute(JobExecutionContext ctx) throws JobExecutionException {
    service.write(ctx.getFireInstanceId());
    if (ctx.getMergedJobDataMap().containsKey("fail")) {
      throw new JobExecutionException("failed after the service's write");
    }
  }
}
