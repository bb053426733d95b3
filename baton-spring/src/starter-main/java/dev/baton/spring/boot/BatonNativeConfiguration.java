package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.scheduling.Task;
import dev.baton.spring.BatonNodeFactory;
import dev.baton.spring.BatonProperties;
import dev.baton.spring.SpringJobFactory;
import dev.baton.spring.SpringJobTransactions;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Native mode: a Baton node of its own on the application's DataSource, running the Task beans. */
@Configuration(proxyBeanMethods = false)
class BatonNativeConfiguration {
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @DependsOnDatabaseInitialization
  Baton baton(
      DataSource dataSource,
      BatonProperties properties,
      ObjectProvider<Task> tasks,
      ConfigurableListableBeanFactory beans) {
    return new BatonNodeFactory(
            dataSource,
            properties,
            null,
            tasks.orderedStream().toList(),
            new SpringJobFactory(beans))
        .jobTransactions(SpringJobTransactions.ifAvailable(beans, dataSource))
        .build();
  }
}
