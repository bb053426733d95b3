package dev.baton.spring.boot;

import dev.baton.Baton;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health indicator {@code baton}, part of {@link BatonActuatorAutoConfiguration}; {@code
 * management.health.baton.enabled=false} turns it off.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnEnabledHealthIndicator("baton")
class BatonHealthConfiguration {
  @Bean
  @ConditionalOnMissingBean(name = "batonHealthIndicator")
  BatonHealthIndicator batonHealthIndicator(Baton baton) {
    return new BatonHealthIndicator(baton);
  }
}
