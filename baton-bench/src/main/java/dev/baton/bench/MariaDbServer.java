package dev.baton.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * The MariaDB (or MySQL) server at {@code BATON_MARIADB_URL} (default {@code
 * jdbc:mariadb://127.0.0.1:3306/}, user {@code root}, empty password, as the contract tests use
 * it), as it is configured: a fresh database per contender-run, dropped when its pools close.
 */
final class MariaDbServer implements BenchDatabase {
  private static final String BASE = env("BATON_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/");
  private static final String USER = env("BATON_MARIADB_USER", "root");
  private static final String PASSWORD = env("BATON_MARIADB_PASSWORD", "");
  private static final List<String> DURABILITY =
      List.of("innodb_flush_log_at_trx_commit", "innodb_doublewrite", "sync_binlog", "log_bin");

  private final List<HikariDataSource> pools = new ArrayList<>();
  private final List<String> databases = new ArrayList<>();
  private int made;
  private final String run = Integer.toString(ThreadLocalRandom.current().nextInt(1_000_000), 36);
  private final String version;
  private final String settings;

  MariaDbServer() throws SQLException {
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT VERSION()")) {
        rs.next();
        version = rs.getString(1);
      }
      List<String> parts = new ArrayList<>();
      for (String name : DURABILITY) {
        try (ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES LIKE '" + name + "'")) {
          if (rs.next()) parts.add("`" + name + "` = " + rs.getString(2));
        }
      }
      settings = String.join(", ", parts);
    }
    System.out.println("MariaDB " + version + ": " + settings);
  }

  private static Connection admin() throws SQLException {
    return DriverManager.getConnection(BASE, USER, PASSWORD);
  }

  @Override
  public String description() {
    return "MariaDB "
        + version
        + " at "
        + BASE
        + " on the same machine, as configured — `SHOW GLOBAL VARIABLES`"
        + " reports "
        + settings;
  }

  @Override
  public boolean profiles() {
    return false;
  }

  @Override
  public String freshDatabase(String label) throws SQLException {
    String name =
        ("bench_" + run + "_" + label + "_" + (++made)).toLowerCase().replaceAll("[^a-z0-9_]", "_");
    if (name.length() > 64) name = name.substring(0, 64);
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    synchronized (databases) {
      databases.add(name);
    }
    return BASE + name;
  }

  @Override
  public DataSource pool(String url, int size) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setUsername(USER);
    c.setPassword(PASSWORD);
    c.setMaximumPoolSize(size);
    c.setMinimumIdle(size);
    HikariDataSource ds = new HikariDataSource(c);
    synchronized (pools) {
      pools.add(ds);
    }
    return ds;
  }

  /** Closes the pools and drops every database made so far. */
  @Override
  public void closePools() {
    synchronized (pools) {
      pools.forEach(HikariDataSource::close);
      pools.clear();
    }
    synchronized (databases) {
      try (Connection c = admin();
          Statement s = c.createStatement()) {
        for (String name : databases) s.execute("DROP DATABASE IF EXISTS " + name);
      } catch (SQLException e) {
        System.err.println("could not drop benchmark databases " + databases + ": " + e);
      }
      databases.clear();
    }
  }

  @Override
  public void close() {
    closePools();
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
