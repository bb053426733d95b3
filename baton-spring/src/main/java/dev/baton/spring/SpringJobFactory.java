package dev.baton.spring;

import java.util.Objects;
import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;

/**
 * Builds job instances as Spring beans ({@code createBean}: constructor and field injection), so
 * that the job classes of {@code Task} beans may take the application's services. Installed on the
 * node before its tasks are registered; in Quartz mode Spring's {@code SchedulerFactoryBean}
 * replaces it with its own {@code SpringBeanJobFactory} at start, which injects the same way and
 * also binds job data to setters.
 */
public final class SpringJobFactory implements JobFactory {
  private final AutowireCapableBeanFactory beans;

  public SpringJobFactory(AutowireCapableBeanFactory beans) {
    this.beans = Objects.requireNonNull(beans, "beans");
  }

  @Override
  public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
    Class<? extends Job> jobClass = bundle.getJobDetail().getJobClass();
    try {
      return beans.createBean(jobClass);
    } catch (BeansException e) {
      throw new SchedulerException(
          "Spring cannot build job class " + jobClass.getName() + ": " + e.getMessage(), e);
    }
  }
}
