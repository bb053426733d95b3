package dev.baton.spring.boot;

import dev.baton.spring.starter.TracingContract;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;

/** Tracing under Boot 3. */
class BatonTracingTest extends TracingContract {
  @Override
  protected Class<?> dataSourceAutoConfiguration() {
    return DataSourceAutoConfiguration.class;
  }
}
