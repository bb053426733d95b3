package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.micrometer.BatonObservations;
import io.micrometer.observation.ObservationRegistry;

/**
 * Observes the node's executions ({@code baton.job.execution}) and lock acquisitions ({@code
 * baton.lock.acquire}) in the application's {@link ObservationRegistry}, so that Boot's observation
 * setup gives them timers and, with Micrometer Tracing, spans. Made while the context refreshes,
 * before the node starts, so the first firing is observed.
 */
public final class BatonObservationBinding {
  private final boolean observing;

  BatonObservationBinding(Baton baton, ObservationRegistry registry) {
    this.observing = registry != null && !registry.isNoop();
    if (observing) BatonObservations.observe(baton, registry);
  }

  /** Whether the application had an observation registry to observe in. */
  public boolean observing() {
    return observing;
  }
}
