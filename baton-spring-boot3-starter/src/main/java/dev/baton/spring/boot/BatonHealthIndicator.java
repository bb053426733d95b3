package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.spring.BatonHealthCheck;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * UP while the node fires and checks in; DOWN with the reason otherwise (see {@link
 * BatonHealthCheck}).
 */
public class BatonHealthIndicator implements HealthIndicator {
  private final BatonHealthCheck check;

  public BatonHealthIndicator(Baton baton) {
    this.check = new BatonHealthCheck(baton);
  }

  @Override
  public Health health() {
    BatonHealthCheck.Result r = check.check();
    Health.Builder b = r.up() ? Health.up() : Health.down().withDetail("reason", r.reason());
    return b.withDetails(r.details()).build();
  }
}
