package dev.baton.micrometer;

import dev.baton.locks.LockObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * This node's cluster-lock metrics, by lock name: how long acquisitions waited ({@code
 * baton.lock.wait}), how often a lock was found busy ({@code baton.lock.busy}) and how long locks
 * were held ({@code baton.lock.hold}).
 */
final class LockMeters implements LockObserver {
  private final MeterRegistry registry;

  LockMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void acquired(String name, long token, Duration waited) {
    Timer.builder("baton.lock.wait")
        .description("Time from asking for a lock to holding it")
        .tag("lock", name)
        .register(registry)
        .record(waited);
  }

  @Override
  public void busy(String name, Duration waited) {
    Counter.builder("baton.lock.busy")
        .description("Acquisitions that gave up because the lock was held elsewhere")
        .tag("lock", name)
        .register(registry)
        .increment();
  }

  @Override
  public void released(String name, long token, Duration held) {
    Timer.builder("baton.lock.hold")
        .description("Time a lock was held by this node")
        .tag("lock", name)
        .register(registry)
        .record(held);
  }
}
