package dev.baton.spring.boot;

import dev.baton.spring.starter.BatonAutoConfigurationContract;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.quartz.autoconfigure.QuartzAutoConfiguration;
import org.springframework.boot.quartz.autoconfigure.QuartzDataSource;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration under Boot 4. */
class BatonAutoConfigurationTest extends BatonAutoConfigurationContract {
  @Override
  protected Class<?> dataSourceAutoConfiguration() {
    return DataSourceAutoConfiguration.class;
  }

  @Override
  protected Class<?> transactionManagerAutoConfiguration() {
    return DataSourceTransactionManagerAutoConfiguration.class;
  }

  @Override
  protected Class<?> quartzAutoConfiguration() {
    return QuartzAutoConfiguration.class;
  }

  @Override
  protected Class<?> healthIndicatorType() {
    return HealthIndicator.class;
  }

  @Override
  protected int webServerGracefulShutdownPhase() {
    return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;
  }

  @Override
  protected Class<? extends MainDataSource> twoDataSources() {
    return TwoDataSources.class;
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoDataSources extends MainDataSource {
    @Bean
    @QuartzDataSource
    DataSource quartzDataSource() {
      return h2DataSource();
    }
  }
}
