package dev.baton.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.baton.Baton;
import dev.baton.BatonBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * A running Baton node: its pool, the {@link Baton} cluster member, metrics and the admin server,
 * started in that order and stopped in reverse ({@link #close()} drains running executions).
 */
public final class BatonNode implements AutoCloseable {
  private final HikariDataSource pool;
  private final Baton baton;
  private final AdminConsole console;
  private final AdminToken token;
  private boolean closed;

  private BatonNode(NodeConfig config, AdminToken token, Consumer<HikariConfig> poolSettings) {
    this.token = token;
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.pool = pool(config, registry, poolSettings);
    try {
      BatonBuilder builder =
          Baton.builder(pool)
              .threads(config.threads())
              .drainTimeout(config.drainTimeout())
              .clusterName(config.clusterName())
              .tablePrefix(config.tablePrefix());
      if (config.nodeId() != null) builder.nodeId(config.nodeId());
      if (config.pluginDir() != null) builder.pluginDirectory(config.pluginDir());
      // Built in standby: the console's listeners are in place before the first firing.
      this.baton = builder.build();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    try {
      this.console =
          new AdminConsole(
              baton, config.bind(), config.port(), token, registry, config.departedRetention());
    } catch (RuntimeException | Error e) {
      // A node that cannot serve must not join the cluster.
      baton.close();
      pool.close();
      throw e;
    }
    try {
      baton.start();
    } catch (RuntimeException | Error e) {
      console.close();
      baton.close();
      pool.close();
      throw e;
    }
  }

  /** Starts a node; the token is resolved from the config or the data directory. */
  public static BatonNode start(NodeConfig config) throws IOException {
    return start(config, pool -> {});
  }

  /**
   * Starts a node whose pool settings {@code poolSettings} may adjust after the node's own (for
   * instance shorter connection timeouts).
   */
  public static BatonNode start(NodeConfig config, Consumer<HikariConfig> poolSettings)
      throws IOException {
    AdminToken token = AdminToken.resolve(config.adminToken(), config.dataDir());
    return new BatonNode(config, token, poolSettings);
  }

  private static HikariDataSource pool(
      NodeConfig config, PrometheusMeterRegistry registry, Consumer<HikariConfig> poolSettings) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(config.effectiveDbUrl());
    c.setUsername(config.embedded() && config.dbUser() == null ? "sa" : config.dbUser());
    c.setPassword(config.embedded() && config.dbPassword() == null ? "" : config.dbPassword());
    // The node's own need, plus one for the API and the gauges.
    c.setMaximumPoolSize(Baton.connectionsNeeded(config.threads()) + 1);
    c.setMinimumIdle(1);
    c.setPoolName("baton");
    c.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    poolSettings.accept(c);
    return new HikariDataSource(c);
  }

  public Baton baton() {
    return baton;
  }

  public int port() {
    return console.port();
  }

  public AdminToken token() {
    return token;
  }

  /** The dashboard's address. */
  public String url() {
    return console.url();
  }

  /** The node's health, as {@code /api/health} reports it. */
  public NodeHealth health() {
    return console.health();
  }

  /**
   * Drains and stops the cluster member, then stops the HTTP server and closes the pool.
   * Idempotent. While the node drains, {@code /api/health} answers DOWN (shutting down), so that
   * load balancers and probes see it leave.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    console.stopping();
    baton.close();
    console.close();
    pool.close();
  }
}
