package dev.baton.testing;

import com.zaxxer.hikari.HikariConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh database on the MariaDB (or MySQL) server at {@code BATON_MARIADB_URL} (default
 * 127.0.0.1:3306, user root, empty password). When the server is unreachable, tests skip with a
 * visible notice; with {@code BATON_REQUIRE_MARIADB=true} (as CI sets) they fail instead.
 */
public final class MariaDbDatabase extends TestDatabase {
  private static final String BASE = env("BATON_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/");
  private static final String USER = env("BATON_MARIADB_USER", "root");
  private static final String PASSWORD = env("BATON_MARIADB_PASSWORD", "");

  public MariaDbDatabase() {
    try (Connection c = DriverManager.getConnection(BASE, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      String notice =
          "MariaDB not reachable at "
              + BASE
              + " ("
              + e.getMessage()
              + "): MariaDB tests SKIPPED."
              + " Start MariaDB or set BATON_MARIADB_URL.";
      if (Boolean.parseBoolean(System.getenv("BATON_REQUIRE_MARIADB"))) {
        throw new IllegalStateException(
            notice + " BATON_REQUIRE_MARIADB=true makes this fatal.", e);
      }
      SkipNotice.print(notice);
      Assumptions.abort(notice);
    }
  }

  @Override
  public String kind() {
    return "mariadb";
  }

  @Override
  protected HikariConfig config() {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(BASE + name);
    c.setUsername(USER);
    c.setPassword(PASSWORD);
    c.setConnectionInitSql("SET time_zone = '-08:00'");
    return c;
  }

  @Override
  protected void dropDatabase() {
    try (Connection c = DriverManager.getConnection(BASE, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
    } catch (SQLException ignored) {
      // Best effort.
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
