package dev.baton.micrometer;

import dev.baton.Baton;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import org.quartz.SchedulerException;

/**
 * Micrometer Observations of a node's work: every execution as {@value
 * ExecutionObservations#EXECUTION} and every lock acquisition as {@value LockObservations#ACQUIRE},
 * with low-cardinality keys ({@code baton.task}, {@code baton.outcome}, {@code baton.trigger.type};
 * {@code baton.lock}) and high-cardinality ones ({@code baton.node}, {@code baton.attempt}, {@code
 * baton.fencing_token}, {@code baton.fire_instance_id}). The execution's observation is open around
 * the job's own code, on its worker thread, so whatever the job observes or traces nests under it.
 * With Spring Boot's observation setup (or Micrometer Tracing's bridge to OpenTelemetry) this gives
 * a timer and a span per execution and acquisition.
 *
 * <pre>{@code
 * BatonObservations.observe(baton, observationRegistry);   // before baton.start()
 * }</pre>
 *
 * <p>Install it before the node starts, so that the first firing is observed. Observation handlers
 * run on Quartz's and the lock's threads: whatever they throw is caught, never breaking a firing.
 */
public final class BatonObservations {
  private BatonObservations() {}

  /**
   * Observes {@code baton}'s executions and lock acquisitions in {@code registry}.
   *
   * @throws IllegalStateException when the node's listeners cannot be added
   */
  public static void observe(Baton baton, ObservationRegistry registry) {
    Objects.requireNonNull(baton, "baton");
    Objects.requireNonNull(registry, "registry");
    try {
      baton
          .quartz()
          .getListenerManager()
          .addJobListener(new ExecutionObservations(registry, baton.nodeId()));
    } catch (SchedulerException e) {
      throw new IllegalStateException(
          "Could not observe executions of node " + baton.nodeId() + ": " + e.getMessage(), e);
    }
    baton.locks().observe(new LockObservations(registry, baton.nodeId()));
  }
}
