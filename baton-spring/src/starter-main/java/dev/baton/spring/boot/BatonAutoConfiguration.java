package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.spring.BatonAdminConfiguration;
import dev.baton.spring.BatonLifecycle;
import dev.baton.spring.BatonProperties;
import javax.sql.DataSource;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Baton for a Spring Boot 3.5 or 4.0 application with a {@link DataSource}. Two modes:
 *
 * <ul>
 *   <li><b>Quartz</b> ({@link BatonQuartzConfiguration}): with spring-boot-starter-quartz and
 *       {@code spring.quartz.job-store-type=jdbc}, Boot's {@code SchedulerFactoryBean} runs on the
 *       Baton node, so the application's {@code JobDetail}/{@code Trigger} beans, job factory and
 *       {@code /actuator/quartz} keep working;
 *   <li><b>native</b>: otherwise, a {@link Baton} node on the application's DataSource.
 * </ul>
 *
 * In both, every {@code Task} bean is registered and {@link BatonLifecycle} drains the node before
 * the web server stops. {@code baton.enabled=false} turns everything off; a user's own {@link
 * Baton} bean wins. With {@code baton.admin.port} (and {@code baton-server} on the class path) the
 * application also serves the node's admin API and dashboard on that port ({@link
 * BatonAdminConfiguration}).
 */
@AutoConfiguration(
    afterName = {
      BootAutoConfigurations.DATA_SOURCE,
      BootAutoConfigurations.FLYWAY,
      BootAutoConfigurations.LIQUIBASE
    },
    beforeName = BootAutoConfigurations.QUARTZ)
@ConditionalOnBean(DataSource.class)
// Binds baton.* into BatonProperties even when no other auto-configuration enables binding.
@EnableConfigurationProperties
@ConditionalOnProperty(prefix = BatonProperties.PREFIX, name = "enabled", matchIfMissing = true)
// Quartz mode first: its Baton bean, when it applies, makes the native one back off. (Not nested
// classes: Spring processes those before the imports, whatever their order.) Each starter has its
// own BatonQuartzConfiguration: it takes Quartz types whose package moved in Boot 4.
@Import({
  BatonQuartzConfiguration.class,
  BatonNativeConfiguration.class,
  BatonAdminConfiguration.class
})
public class BatonAutoConfiguration {

  /** The {@code baton.*} properties. */
  @Bean
  @ConfigurationProperties(prefix = BatonProperties.PREFIX)
  @ConditionalOnMissingBean
  public BatonProperties batonProperties() {
    return new BatonProperties();
  }

  /** Starts the node with the context, drains it before the web server stops. */
  @Bean
  @ConditionalOnMissingBean
  public BatonLifecycle batonLifecycle(Baton baton) {
    return new BatonLifecycle(baton);
  }

  /** Lazy initialization must not defer the node: it fires jobs nobody asks for by reference. */
  @Bean
  static LazyInitializationExcludeFilter batonLazyInitializationExcludeFilter() {
    return LazyInitializationExcludeFilter.forBeanTypes(Baton.class, BatonLifecycle.class);
  }
}
