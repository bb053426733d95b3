package dev.baton.micrometer;

import dev.baton.Baton;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.quartz.ListenerManager;
import org.quartz.SchedulerException;

/**
 * Micrometer meters of one Baton node, for any application embedding Baton:
 *
 * <ul>
 *   <li>{@code baton.executions{task,outcome}} (success, failure, vetoed), {@code
 *       baton.execution.duration{task}}, {@code baton.execution.lateness{task}} (start minus
 *       scheduled time), {@code baton.misfires{task}}: this node's executions;
 *   <li>{@code baton.triggers{state}}, {@code baton.nodes.live}, {@code baton.nodes}, {@code
 *       baton.tasks.stuck}: the cluster as this node sees it, re-read every {@code refreshEvery} on
 *       a daemon thread (a scrape never queries the database);
 *   <li>{@code baton.lock.wait{lock}}, {@code baton.lock.hold{lock}}, {@code
 *       baton.lock.busy{lock}}: this node's cluster locks ({@code baton.locks()}).
 * </ul>
 *
 * <pre>{@code
 * BatonMetrics metrics = new BatonMetrics(baton);
 * metrics.bindTo(registry);   // once; close() stops the refresh thread
 * }</pre>
 *
 * <p>Bind it once, after {@code Baton.start()}. Execution and lock meters cannot be unbound (Quartz
 * listeners and lock observers stay registered until the node closes).
 */
public final class BatonMetrics implements MeterBinder, AutoCloseable {
  private final Baton baton;
  private final Duration refreshEvery;
  private volatile ClusterGauges gauges;
  private ScheduledExecutorService refresher;

  /** Meters of {@code baton}, cluster gauges re-read every 5 seconds. */
  public BatonMetrics(Baton baton) {
    this(baton, Duration.ofSeconds(5));
  }

  /**
   * Meters of {@code baton}, cluster gauges re-read every {@code refreshEvery}; zero re-reads them
   * only when {@link #refresh()} is called.
   */
  public BatonMetrics(Baton baton, Duration refreshEvery) {
    this.baton = Objects.requireNonNull(baton, "baton");
    Objects.requireNonNull(refreshEvery, "refreshEvery");
    if (refreshEvery.isNegative()) {
      throw new IllegalArgumentException(
          "refreshEvery must be zero or positive, was " + refreshEvery);
    }
    this.refreshEvery = refreshEvery;
  }

  /**
   * Registers the meters, the Quartz listeners and the lock observer, reads the cluster gauges and
   * starts their refresh thread.
   *
   * @throws IllegalStateException when already bound
   */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    if (gauges != null)
      throw new IllegalStateException(
          "BatonMetrics of node " + baton.nodeId() + " is already bound");
    ExecutionMeters executions = new ExecutionMeters(registry);
    try {
      // Quartz listeners on every job and trigger, through the node's Quartz API.
      ListenerManager listeners = baton.quartz().getListenerManager();
      listeners.addJobListener(executions);
      listeners.addTriggerListener(executions);
    } catch (SchedulerException e) {
      throw new IllegalStateException("Could not observe executions of node " + baton.nodeId(), e);
    }
    baton.locks().observe(new LockMeters(registry));
    FunctionCounter.builder("baton.retries.scheduled", baton, Baton::retriesScheduled)
        .description("Retries of failed firings this node stored")
        .register(registry);
    FunctionCounter.builder("baton.retries.exhausted", baton, Baton::retriesExhausted)
        .description(
            "Failed firings this node ended for good: attempts exhausted, or not retryable")
        .register(registry);
    ClusterGauges g = new ClusterGauges(baton, registry);
    gauges = g;
    if (refreshEvery.isZero()) {
      g.refresh();
      return;
    }
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "baton-" + baton.nodeId() + "-metrics");
              t.setDaemon(true);
              return t;
            });
    refresher.scheduleWithFixedDelay(g::refresh, 0, refreshEvery.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Re-reads the cluster gauges now (a failure keeps the last values and is logged). */
  public void refresh() {
    ClusterGauges g = gauges;
    if (g == null) throw new IllegalStateException("BatonMetrics is not bound to a registry yet");
    g.refresh();
  }

  /** Stops the refresh thread; the gauges keep their last values. Idempotent. */
  @Override
  public synchronized void close() {
    if (refresher != null) refresher.shutdownNow();
  }
}
