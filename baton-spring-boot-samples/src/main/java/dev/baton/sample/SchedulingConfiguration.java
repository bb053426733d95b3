package dev.baton.sample;

import org.quartz.CalendarIntervalScheduleBuilder;
import org.quartz.CronScheduleBuilder;
import org.quartz.DailyTimeIntervalScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Jobs and triggers as beans: Boot's Quartz auto-configuration registers them at start. */
@Configuration(proxyBeanMethods = false)
public class SchedulingConfiguration {

  @Bean
  public JobDetail reportJob() {
    return JobBuilder.newJob(ReportJob.class)
        .withIdentity("reportJob", "reports")
        .usingJobData("format", "pdf")
        .storeDurably()
        .build();
  }

  @Bean
  public Trigger reportEverySecond() {
    return TriggerBuilder.newTrigger()
        .forJob("reportJob", "reports")
        .withIdentity("reportEverySecond", "reports")
        .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever(1))
        .build();
  }

  @Bean
  public Trigger reportCalendarInterval() {
    return TriggerBuilder.newTrigger()
        .forJob("reportJob", "reports")
        .withIdentity("reportCalendarInterval", "reports")
        .withSchedule(
            CalendarIntervalScheduleBuilder.calendarIntervalSchedule().withIntervalInSeconds(2))
        .build();
  }

  @Bean
  public JobDetail cleanupJob() {
    return JobBuilder.newJob(CleanupJob.class)
        .withIdentity("cleanupJob", "maintenance")
        .usingJobData("target", "tmp")
        .storeDurably()
        .build();
  }

  @Bean
  public Trigger cleanupCron() {
    return TriggerBuilder.newTrigger()
        .forJob("cleanupJob", "maintenance")
        .withIdentity("cleanupCron", "maintenance")
        .withSchedule(CronScheduleBuilder.cronSchedule("0/2 * * * * ?"))
        .build();
  }

  @Bean
  public Trigger cleanupDailyInterval() {
    return TriggerBuilder.newTrigger()
        .forJob("cleanupJob", "maintenance")
        .withIdentity("cleanupDailyInterval", "maintenance")
        .withSchedule(
            DailyTimeIntervalScheduleBuilder.dailyTimeIntervalSchedule().withIntervalInSeconds(2))
        .build();
  }

  @Bean
  public JobDetail inventoryJob() {
    return JobBuilder.newJob(InventoryJob.class)
        .withIdentity("inventoryJob", "inventory")
        .storeDurably()
        .build();
  }

  @Bean
  public Trigger inventoryEverySecond() {
    return TriggerBuilder.newTrigger()
        .forJob("inventoryJob", "inventory")
        .withIdentity("inventoryEverySecond", "inventory")
        .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever(1))
        .build();
  }

  @Bean
  public JobDetail auditJob() {
    return JobBuilder.newJob(AuditJob.class)
        .withIdentity("auditJob", "audit")
        .storeDurably()
        .build();
  }
}
