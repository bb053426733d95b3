package dev.baton.sample;

import javax.sql.DataSource;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The exactly-once job of {@link ExactlyOnceFailoverTest}, as beans; only with {@code
 * sample.exactly-once=true}, so the other tests' instances do not run it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sample.exactly-once", havingValue = "true")
public class EffectsConfiguration {
  @Bean
  public EffectsService effectsService(DataSource dataSource) {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    jdbc.execute(
        "CREATE TABLE IF NOT EXISTS effects (fire_id VARCHAR(200) PRIMARY KEY, node_id"
            + " VARCHAR(200) NOT NULL, token BIGINT NOT NULL, started_ms BIGINT NOT NULL,"
            + " ended_ms BIGINT)");
    return new EffectsService(jdbc);
  }

  @Bean
  public JobDetail effectsJob() {
    return JobBuilder.newJob(EffectsJob.class)
        .withIdentity("effectsJob", "effects")
        .storeDurably()
        .build();
  }

  @Bean
  public Trigger effectsEveryTwoSeconds() {
    return TriggerBuilder.newTrigger()
        .forJob("effectsJob", "effects")
        .withIdentity("effectsEveryTwoSeconds", "effects")
        .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever(2))
        .build();
  }
}
