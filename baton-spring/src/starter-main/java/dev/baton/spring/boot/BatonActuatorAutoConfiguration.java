package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.micrometer.BatonMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Baton's health indicator, Micrometer meters and observations, OpenTelemetry spans and {@code
 * baton} endpoint, each only when its library is on the class path and a {@link Baton} bean exists;
 * a user's own bean of the same type wins.
 */
@AutoConfiguration(after = BatonAutoConfiguration.class)
@ConditionalOnBean(Baton.class)
// Each starter has its own BatonHealthConfiguration: Boot 4 moved the health types.
@Import(BatonHealthConfiguration.class)
public class BatonActuatorAutoConfiguration {

  /** Meters {@code baton.*}: Boot binds every {@code MeterBinder} bean to its registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class Metrics {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    BatonMetrics batonMetrics(Baton baton) {
      return new BatonMetrics(baton);
    }
  }

  /**
   * Observations of executions and lock acquisitions, in the application's registry when it has one
   * (read when the bean is made, so the order of auto-configurations does not matter).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ObservationRegistry.class)
  static class Observations {
    @Bean
    @ConditionalOnMissingBean
    BatonObservationBinding batonObservationBinding(
        Baton baton, ObjectProvider<ObservationRegistry> registry) {
      return new BatonObservationBinding(baton, registry.getIfAvailable());
    }

    /** Made with the node even under lazy initialization: it must be in place before start. */
    @Bean
    static LazyInitializationExcludeFilter batonObservationsNotLazy() {
      return LazyInitializationExcludeFilter.forBeanTypes(BatonObservationBinding.class);
    }
  }

  /**
   * Spans of executions, linked to whoever triggered them, with the application's OpenTelemetry
   * when it has one (read when the bean is made, so the order of auto-configurations does not
   * matter).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(OpenTelemetry.class)
  static class Tracing {
    @Bean
    @ConditionalOnMissingBean
    BatonTracingBinding batonTracingBinding(Baton baton, ObjectProvider<OpenTelemetry> otel) {
      return new BatonTracingBinding(baton, otel.getIfAvailable());
    }

    /** Made with the node even under lazy initialization: it must be in place before start. */
    @Bean
    static LazyInitializationExcludeFilter batonTracingNotLazy() {
      return LazyInitializationExcludeFilter.forBeanTypes(BatonTracingBinding.class);
    }
  }

  /** The {@code baton} endpoint, when exposed. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
  @ConditionalOnAvailableEndpoint(endpoint = BatonEndpoint.class)
  static class Endpoint {
    @Bean
    @ConditionalOnMissingBean
    BatonEndpoint batonEndpoint(Baton baton) {
      return new BatonEndpoint(baton);
    }
  }
}
