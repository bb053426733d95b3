package dev.baton.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One embedded PostgreSQL server for a benchmark run, with a fresh database per contender-run and
 * a connection pool per node. Closing it closes every pool it made and stops the server.
 */
final class PgServer implements AutoCloseable {
  private final EmbeddedPostgres pg;
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final String version;
  private int databases;

  PgServer() throws Exception {
    EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
        .setServerConfig("max_connections", "300")
        .setServerConfig("fsync", "off")
        .setServerConfig("synchronous_commit", "off");
    if (StatementProfile.ENABLED) b.setServerConfig("shared_preload_libraries", "pg_stat_statements");
    String slow = System.getProperty("bench.explainSlowerThan");
    if (slow != null) {
      // Profiling aid: the server logs the plan of every statement slower than this.
      b.setServerConfig("shared_preload_libraries", "auto_explain")
          .setServerConfig("auto_explain.log_min_duration", slow)
          .setServerConfig("auto_explain.log_analyze", "on")
          .setServerConfig("log_min_duration_statement", slow);
    }
    this.pg = b.start();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version")) {
      rs.next();
      this.version = rs.getString(1);
    }
  }

  String version() {
    return version;
  }

  /** Creates an empty database and returns its JDBC URL. */
  String freshDatabase(String label) throws Exception {
    String name = ("bench_" + label + "_" + (++databases)).toLowerCase().replaceAll("[^a-z0-9_]", "_");
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return pg.getJdbcUrl("postgres", name);
  }

  /** A pool of {@code size} connections on {@code url}; closed with the server. */
  HikariDataSource pool(String url, int size) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setMaximumPoolSize(size);
    c.setMinimumIdle(size);
    HikariDataSource ds = new HikariDataSource(c);
    synchronized (pools) {
      pools.add(ds);
    }
    return ds;
  }

  /** Closes every pool made so far (between contender-runs). */
  void closePools() {
    synchronized (pools) {
      pools.forEach(HikariDataSource::close);
      pools.clear();
    }
  }

  @Override
  public void close() throws Exception {
    closePools();
    pg.close();
  }
}
