package dev.baton.spring.boot;

import dev.baton.spring.starter.TracingContract;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;

/** Tracing under Boot 4. */
class BatonTracingTest extends TracingContract {
  @Override
  protected Class<?> dataSourceAutoConfiguration() {
    return DataSourceAutoConfiguration.class;
  }
}
