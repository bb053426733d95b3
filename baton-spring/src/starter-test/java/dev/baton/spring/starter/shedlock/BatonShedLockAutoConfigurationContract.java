package dev.baton.spring.starter.shedlock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Baton;
import dev.baton.shedlock.BatonLockProvider;
import dev.baton.spring.boot.BatonAutoConfiguration;
import dev.baton.spring.boot.BatonShedLockAutoConfiguration;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The ShedLock part of the auto-configuration, one small context per case, on in-memory H2. Each
 * starter's subclass names Boot's {@code DataSourceAutoConfiguration}, whose package moved.
 */
public abstract class BatonShedLockAutoConfigurationContract {
  private final String database = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

  /** Boot's {@code DataSourceAutoConfiguration}. */
  protected abstract Class<?> dataSourceAutoConfiguration();

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                dataSourceAutoConfiguration(),
                BatonAutoConfiguration.class,
                BatonShedLockAutoConfiguration.class))
        .withPropertyValues("baton.drain-timeout=1s", "spring.datasource.url=" + database);
  }

  @Test
  void providerTakesTheNodesLocks() {
    runner()
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(LockProvider.class);
              Baton baton = ctx.getBean(Baton.class);
              LockProvider provider = ctx.getBean(LockProvider.class);
              assertThat(provider).isInstanceOf(BatonLockProvider.class);
              assertThat(((BatonLockProvider) provider).clusterLocks()).isSameAs(baton.locks());

              Optional<SimpleLock> lock =
                  provider.lock(
                      new LockConfiguration(
                          java.time.Instant.now(),
                          "report",
                          Duration.ofSeconds(30),
                          Duration.ZERO));
              assertThat(lock).isPresent();
              // A Baton lock: listed by the node with its owner and token.
              assertThat(baton.locks().held())
                  .anySatisfy(
                      l -> {
                        assertThat(l.name()).isEqualTo("report");
                        assertThat(l.ownerNode()).isEqualTo(baton.nodeId());
                        assertThat(l.fencingToken()).isPositive();
                      });
              lock.get().unlock();
              assertThat(baton.locks().held()).noneMatch(l -> l.name().equals("report"));
            });
  }

  @Test
  void withoutShedLockOnTheClassPathNoProvider() {
    runner()
        .withClassLoader(new FilteredClassLoader(LockProvider.class))
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(Baton.class);
              assertThat(ctx).doesNotHaveBean(BatonLockProvider.class);
            });
  }

  @Test
  void withoutBatonShedLockOnTheClassPathNoProvider() {
    runner()
        .withClassLoader(new FilteredClassLoader(BatonLockProvider.class))
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(Baton.class);
              assertThat(ctx).doesNotHaveBean(LockProvider.class);
            });
  }

  @Test
  void usersOwnLockProviderWins() {
    runner()
        .withUserConfiguration(OwnLockProvider.class)
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(LockProvider.class);
              assertThat(ctx.getBean(LockProvider.class)).isSameAs(OwnLockProvider.MINE);
            });
  }

  @Test
  void disabledByProperty() {
    runner()
        .withPropertyValues("baton.shedlock.enabled=false")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(Baton.class);
              assertThat(ctx).doesNotHaveBean(LockProvider.class);
            });
  }

  @Test
  void withoutBatonNoProvider() {
    runner()
        .withPropertyValues("baton.enabled=false")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().doesNotHaveBean(Baton.class);
              assertThat(ctx).doesNotHaveBean(LockProvider.class);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnLockProvider {
    static final LockProvider MINE = config -> Optional.empty();

    @Bean
    LockProvider myLockProvider() {
      return MINE;
    }
  }
}
