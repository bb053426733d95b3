package dev.baton.spring.boot;

/**
 * The Boot 4 auto-configurations {@link BatonAutoConfiguration} orders itself against, by name:
 * they may be absent, and their packages moved between Boot 3 and Boot 4.
 */
final class BootAutoConfigurations {
  static final String DATA_SOURCE =
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";
  static final String FLYWAY =
      "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration";
  static final String LIQUIBASE =
      "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration";
  static final String QUARTZ =
      "org.springframework.boot.quartz.autoconfigure.QuartzAutoConfiguration";

  private BootAutoConfigurations() {}
}
