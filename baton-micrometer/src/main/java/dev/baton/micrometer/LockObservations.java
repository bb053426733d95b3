package dev.baton.micrometer;

import dev.baton.locks.LockObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;

/**
 * One observation per lock acquisition, from its first attempt to its outcome ({@code acquired},
 * {@code busy} or {@code failed}). The lock calls its observers on the acquiring thread at both
 * ends, so the open observation waits in a thread-local in between.
 */
final class LockObservations implements LockObserver {
  static final String ACQUIRE = "baton.lock.acquire";

  private final ObservationRegistry registry;
  private final String nodeId;
  private final ThreadLocal<Observation> open = new ThreadLocal<>();

  LockObservations(ObservationRegistry registry, String nodeId) {
    this.registry = registry;
    this.nodeId = nodeId;
  }

  @Override
  public void acquiring(String name) {
    open.set(
        Observation.createNotStarted(ACQUIRE, registry)
            .contextualName("baton lock " + name)
            .lowCardinalityKeyValue("baton.lock", name)
            .highCardinalityKeyValue("baton.node", nodeId)
            .start());
  }

  @Override
  public void acquired(String name, long token, Duration waited) {
    Observation o = take();
    if (o == null) return;
    o.highCardinalityKeyValue("baton.fencing_token", Long.toString(token));
    o.lowCardinalityKeyValue("baton.outcome", "acquired").stop();
  }

  @Override
  public void busy(String name, Duration waited) {
    Observation o = take();
    if (o != null) o.lowCardinalityKeyValue("baton.outcome", "busy").stop();
  }

  @Override
  public void failed(String name, RuntimeException error) {
    Observation o = take();
    if (o != null) o.lowCardinalityKeyValue("baton.outcome", "failed").error(error).stop();
  }

  private Observation take() {
    Observation o = open.get();
    open.remove();
    return o;
  }

  @Override
  public String toString() {
    return "baton-lock-observations";
  }
}
