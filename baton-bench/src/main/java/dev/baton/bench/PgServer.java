package dev.baton.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One embedded PostgreSQL server for a benchmark run, with a fresh database per contender-run and a
 * connection pool per node. Durable by default, as production runs: {@code fsync}, {@code
 * synchronous_commit} and {@code full_page_writes} on (zonky turns {@code synchronous_commit} off
 * unless told otherwise); {@code durable=false} turns the first two off, for the clearly labelled
 * unsafe table. The settings are read back with {@code SHOW} and a durable server that does not
 * report them on refuses to run. Closing it closes every pool it made and stops the server.
 */
final class PgServer implements BenchDatabase {
  private static final List<String> DURABILITY =
      List.of("fsync", "synchronous_commit", "full_page_writes");

  private final EmbeddedPostgres pg;
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final boolean durable;
  private final String version;
  private final Map<String, String> settings = new LinkedHashMap<>();
  private int databases;

  PgServer(boolean durable) throws Exception {
    this.durable = durable;
    String onOff = durable ? "on" : "off";
    EmbeddedPostgres.Builder b =
        EmbeddedPostgres.builder()
            .setServerConfig("max_connections", "300")
            .setServerConfig("fsync", onOff)
            .setServerConfig("synchronous_commit", onOff)
            .setServerConfig("full_page_writes", "on");
    List<String> preload = new ArrayList<>();
    if (StatementProfile.ENABLED) preload.add("pg_stat_statements");
    String slow = System.getProperty("bench.explainSlowerThan");
    if (slow != null) {
      // Profiling aid: the server logs the plan of every statement slower than this.
      preload.add("auto_explain");
      b.setServerConfig("auto_explain.log_min_duration", slow)
          .setServerConfig("auto_explain.log_analyze", "on")
          .setServerConfig("log_min_duration_statement", slow);
    }
    if (!preload.isEmpty())
      b.setServerConfig("shared_preload_libraries", String.join(",", preload));
    this.pg = b.start();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      this.version = show(s, "server_version");
      for (String name : DURABILITY) settings.put(name, show(s, name));
    }
    System.out.println("PostgreSQL " + version + ": " + settingsText());
    if (durable && settings.values().stream().anyMatch(v -> !v.equals("on"))) {
      pg.close();
      throw new IllegalStateException(
          "asked for a durable server but SHOW reports " + settingsText());
    }
  }

  private static String show(Statement s, String name) throws Exception {
    try (ResultSet rs = s.executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** {@code fsync = on, synchronous_commit = on, full_page_writes = on}, as SHOW reports them. */
  String settingsText() {
    List<String> parts = new ArrayList<>();
    settings.forEach((k, v) -> parts.add("`" + k + "` = " + v));
    return String.join(", ", parts);
  }

  boolean durable() {
    return durable;
  }

  String version() {
    return version;
  }

  @Override
  public String description() {
    return "embedded PostgreSQL "
        + version
        + " (zonky 2.2.2) on the same machine, "
        + (durable
            ? "durable as in production"
            : "**NOT durable** (unsafe: a crash can lose committed work)")
        + " — `SHOW` reports "
        + settingsText();
  }

  @Override
  public boolean profiles() {
    return StatementProfile.ENABLED;
  }

  @Override
  public String freshDatabase(String label) throws Exception {
    String name =
        ("bench_" + label + "_" + (++databases)).toLowerCase().replaceAll("[^a-z0-9_]", "_");
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return pg.getJdbcUrl("postgres", name);
  }

  @Override
  public HikariDataSource pool(String url, int size) {
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

  @Override
  public void closePools() {
    synchronized (pools) {
      pools.forEach(HikariDataSource::close);
      pools.clear();
    }
  }

  @Override
  public void close() throws Exception {
    closePools();
    // Most of the shutdown checkpoint now, so that a durable server on a busy machine stops within
    // zonky's 5 s pg_ctl timeout.
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CHECKPOINT");
    } catch (Exception e) {
      System.err.println("CHECKPOINT before stopping PostgreSQL failed: " + e);
    }
    pg.close();
  }
}
