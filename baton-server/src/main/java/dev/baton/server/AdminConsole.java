package dev.baton.server;

import dev.baton.Baton;
import dev.baton.micrometer.BatonMetrics;
import dev.baton.server.api.AdminServer;
import dev.baton.server.metrics.RecentExecutions;
import dev.baton.server.metrics.RecentExecutionsListener;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API and dashboard of one {@link Baton} node, on a port of their own: what {@code baton
 * serve} runs beside its node, and what an application that runs its own node (a Spring Boot
 * application with the starter, say) can serve too. {@link #close()} stops serving; the node is the
 * caller's and keeps running.
 */
public final class AdminConsole implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminConsole.class);

  private final NodeHealth health;
  private final BatonMetrics metrics;
  private final AdminServer server;
  private final String bind;
  private final int port;
  private boolean closed;

  /**
   * Serves {@code baton}'s API and dashboard on {@code bind}:{@code port} (0 for any free port),
   * every route but {@code /api/health} behind {@code token}; {@code /metrics} serves the node's
   * meters.
   *
   * @throws RuntimeException when the port cannot be bound; nothing is left running then
   */
  public static AdminConsole start(Baton baton, String bind, int port, AdminToken token) {
    return new AdminConsole(
        baton,
        bind,
        port,
        token,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        AdminServer.DEFAULT_DEPARTED_RETENTION);
  }

  /**
   * As {@link #start}, with the registry {@code /metrics} serves (the node's, with its pool's
   * meters) and how long departed nodes stay listed.
   */
  AdminConsole(
      Baton baton,
      String bind,
      int port,
      AdminToken token,
      PrometheusMeterRegistry registry,
      Duration departedRetention) {
    Objects.requireNonNull(baton, "baton");
    Objects.requireNonNull(token, "token");
    this.bind = Objects.requireNonNull(bind, "bind");
    RecentExecutions recent = new RecentExecutions(Clock.systemUTC(), 10_000, 30);
    this.metrics = new BatonMetrics(baton, Duration.ofSeconds(5));
    this.health =
        new NodeHealth(
            baton,
            baton.settings().dataSource(),
            NodeHealth.DEFAULT_INTERVAL,
            NodeHealth.DEFAULT_STALE_AFTER);
    this.server = new AdminServer(baton, token, registry, recent, health, departedRetention);
    try {
      health.start();
      metrics.bindTo(registry);
      baton.quartz().getListenerManager().addJobListener(new RecentExecutionsListener(recent));
      this.port = server.start(bind, port);
    } catch (SchedulerException e) {
      close();
      throw new IllegalStateException("Could not observe executions of node " + baton.nodeId(), e);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** The bound port (the one chosen when 0 was asked for). */
  public int port() {
    return port;
  }

  /** The dashboard's address. */
  public String url() {
    String host = bind.contains(":") ? "[" + bind + "]" : bind;
    if (host.equals("0.0.0.0")) host = "127.0.0.1";
    return "http://" + host + ":" + port + "/";
  }

  /** The node's health, as {@code /api/health} reports it. */
  public NodeHealth health() {
    return health;
  }

  /**
   * From now on {@code /api/health} answers DOWN (shutting down), so that probes see the node
   * leave.
   */
  public void stopping() {
    health.stopping();
  }

  /** Stops serving. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    health.stopping();
    metrics.close();
    try {
      server.close();
    } catch (RuntimeException e) {
      log.warn("Admin server did not stop cleanly: {}", e.toString());
    }
    health.close();
  }
}
