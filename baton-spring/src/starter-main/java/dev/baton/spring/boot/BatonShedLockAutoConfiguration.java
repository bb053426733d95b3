package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.shedlock.BatonLockProvider;
import net.javacrumbs.shedlock.core.LockProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * ShedLock's {@link LockProvider} on the Baton node's cluster locks, so that {@code @SchedulerLock}
 * methods of an application with ShedLock and {@code baton-shedlock} on the class path take Baton
 * locks (owner = the node id, with fencing tokens) without a provider bean of their own. A user's
 * own {@code LockProvider} wins; {@code baton.shedlock.enabled=false} turns it off.
 */
@AutoConfiguration(after = BatonAutoConfiguration.class)
@ConditionalOnClass({LockProvider.class, BatonLockProvider.class})
@ConditionalOnBean(Baton.class)
@ConditionalOnProperty(prefix = "baton.shedlock", name = "enabled", matchIfMissing = true)
public class BatonShedLockAutoConfiguration {

  /** A {@link BatonLockProvider} over {@link Baton#locks()}; closed with the node, not here. */
  @Bean
  @ConditionalOnMissingBean(LockProvider.class)
  public BatonLockProvider batonLockProvider(Baton baton) {
    return new BatonLockProvider(baton.locks());
  }
}
