package dev.baton.spring.boot;

/**
 * The Boot 3 auto-configurations {@link BatonAutoConfiguration} orders itself against, by name:
 * they may be absent, and their packages moved between Boot 3 and Boot 4.
 */
final class BootAutoConfigurations {
  static final String DATA_SOURCE =
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration";
  static final String FLYWAY =
      "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration";
  static final String LIQUIBASE =
      "org.springframework.boot.autoconfigure.liquibase.LiquibaseAutoConfiguration";
  static final String QUARTZ =
      "org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration";

  private BootAutoConfigurations() {}
}
