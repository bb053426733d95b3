package dev.baton.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A fresh, empty database on one real server, for one test class. Pools made by {@link #pool} are
 * closed by {@link #close}. Sessions run in a non-UTC time zone so time-zone mistakes show up.
 */
public abstract class TestDatabase implements AutoCloseable {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private final List<HikariDataSource> pools = new ArrayList<>();
  protected final String name =
      "baton_t" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet();

  /** The kind, for test names and skip notices: h2, postgresql, mariadb. */
  public abstract String kind();

  protected abstract HikariConfig config();

  /** A new pool of {@code size} connections on this database. */
  public synchronized HikariDataSource pool(int size) {
    HikariConfig c = config();
    c.setMaximumPoolSize(size);
    c.setMinimumIdle(0);
    c.setConnectionTimeout(10_000);
    c.setPoolName(kind() + "-" + name + "-" + pools.size());
    HikariDataSource ds = new HikariDataSource(c);
    pools.add(ds);
    return ds;
  }

  /** URL, user and password of this database, for child processes. */
  public String[] connectionArgs() {
    HikariConfig c = config();
    return new String[] {
      c.getJdbcUrl(),
      String.valueOf(c.getUsername()),
      c.getPassword() == null ? "" : c.getPassword()
    };
  }

  /** Runs statements on a throwaway connection. */
  public void execute(String... sql) {
    try (HikariDataSource ds = pool(1);
        Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      for (String q : sql) s.execute(q);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of the first row of a counting query, on a connection of {@code ds}. */
  public static long count(DataSource ds, String sql) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    pools.forEach(HikariDataSource::close);
    pools.clear();
    dropDatabase();
  }

  protected void dropDatabase() {}
}
