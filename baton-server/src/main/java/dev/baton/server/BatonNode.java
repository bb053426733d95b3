package dev.baton.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.baton.Baton;
import dev.baton.server.api.AdminServer;
import dev.baton.micrometer.BatonMetrics;
import dev.baton.server.metrics.RecentExecutions;
import dev.baton.server.metrics.RecentExecutionsListener;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Baton node: its pool, the {@link Baton} cluster member, metrics and the admin server,
 * started in that order and stopped in reverse ({@link #close()} drains running executions).
 */
public final class BatonNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BatonNode.class);

  private final HikariDataSource pool;
  private final Baton baton;
  private final AdminServer server;
  private final AdminToken token;
  private final BatonMetrics metrics;
  private final int port;
  private final String bind;
  private boolean closed;

  private BatonNode(NodeConfig config, AdminToken token) {
    this.token = token;
    this.bind = config.bind();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.pool = pool(config, registry);
    try {
      Baton.Builder builder =
          Baton.builder(pool).threads(config.threads()).drainTimeout(config.drainTimeout());
      if (config.nodeId() != null) builder.nodeId(config.nodeId());
      if (config.pluginDir() != null) builder.pluginDirectory(config.pluginDir());
      this.baton = builder.start();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    RecentExecutions recent = new RecentExecutions(Clock.systemUTC(), 10_000, 30);
    this.metrics = new BatonMetrics(baton, Duration.ofSeconds(5));
    this.server = new AdminServer(baton, token, registry, recent);
    try {
      metrics.bindTo(registry);
      baton.scheduler().addJobListener(new RecentExecutionsListener(recent));
      this.port = server.start(config.bind(), config.port());
    } catch (RuntimeException | Error e) {
      // A node that cannot serve must not stay in the cluster half-started.
      closeQuietly();
      throw e;
    }
  }

  /** Starts a node; the token is resolved from the config or the data directory. */
  public static BatonNode start(NodeConfig config) throws IOException {
    AdminToken token = AdminToken.resolve(config.adminToken(), config.dataDir());
    return new BatonNode(config, token);
  }

  private static HikariDataSource pool(NodeConfig config, PrometheusMeterRegistry registry) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(config.effectiveDbUrl());
    c.setUsername(config.embedded() && config.dbUser() == null ? "sa" : config.dbUser());
    c.setPassword(config.embedded() && config.dbPassword() == null ? "" : config.dbPassword());
    // Workers + Quartz's own three threads + Baton's housekeeping + the API and gauges.
    c.setMaximumPoolSize(config.threads() + 6);
    c.setMinimumIdle(1);
    c.setPoolName("baton");
    c.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    return new HikariDataSource(c);
  }

  public Baton baton() {
    return baton;
  }

  public int port() {
    return port;
  }

  public AdminToken token() {
    return token;
  }

  /** The dashboard's address. */
  public String url() {
    String host = bind.contains(":") ? "[" + bind + "]" : bind;
    if (host.equals("0.0.0.0")) host = "127.0.0.1";
    return "http://" + host + ":" + port + "/";
  }

  /** Stops the HTTP server, drains and stops the cluster member, closes the pool. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    closeQuietly();
  }

  private void closeQuietly() {
    metrics.close();
    try {
      if (server != null) server.close();
    } catch (RuntimeException e) {
      log.warn("Admin server did not stop cleanly: {}", e.toString());
    }
    baton.close();
    pool.close();
  }
}
