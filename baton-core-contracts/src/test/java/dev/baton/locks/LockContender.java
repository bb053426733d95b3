package dev.baton.locks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM for the multi-process lock tests. Modes:
 *
 * <ul>
 *   <li>{@code contend url user password node lock iterations}: loops {@code withLock} around the
 *       shared resource (the RESOURCE row and the LOCK_LOG table, see {@link SharedResource});
 *   <li>{@code hold url user password node lock leaseMillis}: takes the lock, prints {@code HELD
 *       <token>} and then hangs until killed.
 * </ul>
 */
public final class LockContender {
  private LockContender() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[1]);
    if (!args[2].equals("null")) config.setUsername(args[2]);
    config.setPassword(args[3]);
    config.setMaximumPoolSize(4);
    String node = args[4];
    String lock = args[5];
    try (HikariDataSource ds = new HikariDataSource(config);
        ClusterLocks locks = ClusterLocks.builder(ds).nodeId(node).migrateSchema(false).build()) {
      if (mode.equals("hold")) {
        ClusterLock held =
            locks.acquire(lock, Duration.ofMillis(Long.parseLong(args[6])), Duration.ofSeconds(30));
        System.out.println("HELD " + held.fencingToken());
        System.out.flush();
        while (true) LockSupport.park();
      }
      int iterations = Integer.parseInt(args[6]);
      SharedResource resource = new SharedResource(ds);
      LockOptions options =
          LockOptions.lease(Duration.ofSeconds(10)).maxWait(Duration.ofSeconds(60));
      for (int i = 0; i < iterations; i++) {
        locks.withLock(
            lock,
            options,
            l -> {
              resource.enter(node, l.fencingToken());
              resource.exit(node, l.fencingToken());
              return null;
            });
      }
      System.out.println("DONE " + node);
    }
  }

  /**
   * A resource in the database that notices overlap by itself: entering claims the RESOURCE row
   * only if nobody occupies it, and every entry and exit is appended to LOCK_LOG with the next
   * sequence number (a duplicate sequence number, from two writers at once, fails its insert).
   */
  public static final class SharedResource {
    public static final String[] DDL = {
      "CREATE TABLE RESOURCE (ID INT PRIMARY KEY, OCCUPANT VARCHAR(100))",
      "INSERT INTO RESOURCE (ID, OCCUPANT) VALUES (1, NULL)",
      "CREATE TABLE LOCK_LOG (SEQ BIGINT PRIMARY KEY, NODE VARCHAR(100) NOT NULL,"
          + " TOKEN BIGINT NOT NULL, EVENT VARCHAR(10) NOT NULL)"
    };

    private final javax.sql.DataSource ds;

    public SharedResource(javax.sql.DataSource ds) {
      this.ds = ds;
    }

    public void enter(String node, long token) throws SQLException {
      boolean claimed =
          update("UPDATE RESOURCE SET OCCUPANT = ? WHERE ID = 1 AND OCCUPANT IS NULL", node) == 1;
      log(node, token, claimed ? "ENTER" : "OVERLAP");
    }

    public void exit(String node, long token) throws SQLException {
      boolean freed =
          update("UPDATE RESOURCE SET OCCUPANT = NULL WHERE ID = 1 AND OCCUPANT = ?", node) == 1;
      log(node, token, freed ? "EXIT" : "OVERLAP");
    }

    private int update(String sql, String node) throws SQLException {
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, node);
        return ps.executeUpdate();
      }
    }

    private void log(String node, long token, String event) throws SQLException {
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO LOCK_LOG (SEQ, NODE, TOKEN, EVENT)"
                      + " SELECT COALESCE(MAX(SEQ), 0) + 1, ?, ?, ? FROM LOCK_LOG")) {
        ps.setString(1, node);
        ps.setLong(2, token);
        ps.setString(3, event);
        ps.executeUpdate();
      }
    }
  }
}
