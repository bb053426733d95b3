package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.scheduling.Task;
import dev.baton.spring.BatonLifecycle;
import dev.baton.spring.BatonProperties;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.quartz.autoconfigure.QuartzDataSource;
import org.springframework.boot.quartz.autoconfigure.SchedulerFactoryBeanCustomizer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;

/**
 * Quartz mode: with Spring's Quartz support on the class path and {@code
 * spring.quartz.job-store-type=jdbc}, the node takes its cluster name from {@code
 * spring.quartz.scheduler-name} (Quartz's {@code SCHED_NAME}, so existing rows stay visible), its
 * sizes and intervals from {@code spring.quartz.properties} unless {@code baton.*} says otherwise,
 * and Boot's {@code SchedulerFactoryBean} is handed the node (see {@link BatonQuartzMode}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({SchedulerFactoryBean.class, SchedulerFactoryBeanCustomizer.class})
@ConditionalOnProperty(prefix = "spring.quartz", name = "job-store-type", havingValue = "jdbc")
class BatonQuartzConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @DependsOnDatabaseInitialization
  Baton baton(
      @QuartzDataSource ObjectProvider<DataSource> quartzDataSource,
      ObjectProvider<DataSource> dataSource,
      BatonProperties properties,
      ObjectProvider<Task> tasks,
      Environment environment,
      ConfigurableListableBeanFactory beans) {
    // Boot's own choice for the Quartz tables: the @QuartzDataSource one, else the main one.
    DataSource ds = quartzDataSource.getIfAvailable(dataSource::getObject);
    return BatonQuartzMode.node(ds, properties, tasks, environment, beans);
  }

  /** After Boot's own JDBC customizer (order 0), whose DataSource the Baton factory ignores. */
  @Bean
  @Order(1)
  SchedulerFactoryBeanCustomizer batonSchedulerFactoryBeanCustomizer(
      Baton baton, BatonLifecycle lifecycle) {
    return factoryBean -> BatonQuartzMode.customize(factoryBean, baton, lifecycle);
  }
}
