package dev.baton.spring.boot;

import dev.baton.spring.starter.shedlock.BatonShedLockAutoConfigurationContract;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;

/** The ShedLock part of the auto-configuration under Boot 3. */
class BatonShedLockAutoConfigurationTest extends BatonShedLockAutoConfigurationContract {
  @Override
  protected Class<?> dataSourceAutoConfiguration() {
    return DataSourceAutoConfiguration.class;
  }
}
