package dev.baton.testing;

import com.zaxxer.hikari.HikariConfig;

/** An in-memory H2 2.x database, kept open while any connection or pool uses it. */
public final class H2Database extends TestDatabase {
  private final String url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";

  @Override
  public String kind() {
    return "h2";
  }

  @Override
  protected HikariConfig config() {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setUsername("sa");
    c.setPassword("");
    c.setConnectionInitSql("SET TIME ZONE '-08:00'");
    return c;
  }

  @Override
  protected void dropDatabase() {
    try (var conn = java.sql.DriverManager.getConnection(url, "sa", "");
        var s = conn.createStatement()) {
      s.execute("SHUTDOWN");
    } catch (java.sql.SQLException ignored) {
      // Already gone.
    }
  }
}
