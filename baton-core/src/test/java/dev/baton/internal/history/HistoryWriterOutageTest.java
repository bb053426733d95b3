package dev.baton.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.baton.Baton;
import dev.baton.history.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;

/**
 * History written while the database is down: a real H2 server, stopped and started again on the
 * same port and files. The writer's pool gives up on a connection after 250 ms (HikariCP's least),
 * so each of its attempts fails quickly while the server is down.
 */
class HistoryWriterOutageTest {
  /**
   * Longer than the writer's attempts at a batch the database refuses: five, with 6 s of back-off
   * between them, then one more per event.
   */
  private static final Duration OUTAGE = Duration.ofSeconds(10);

  @Test
  void anEventQueuedWhileTheDatabaseIsDownIsWrittenWhenItComesBackHoweverLongItTook()
      throws Exception {
    Path dir = Files.createTempDirectory("baton-history-outage");
    Server server = tcpServer(dir, 0);
    int port = server.getPort();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:tcp://127.0.0.1:" + port + "/history");
    config.setUsername("sa");
    config.setConnectionTimeout(250);
    HikariDataSource ds = new HikariDataSource(config);
    Baton.builder(ds).nodeId("schema").start().close(); // creates Baton's tables
    HistoryWriter writer = new HistoryWriter(ds, new HistorySql("QRTZ_"), "baton", "w");
    try {
      server.stop();
      writer.finished(row("during-outage"));
      // The fault itself: the server stays down this long, whatever the writer does meanwhile.
      Thread.sleep(OUTAGE.toMillis());
      server = tcpServer(dir, port);

      writer.close(30_000);

      assertThat(writer.dropped()).as("events dropped").isZero();
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement("SELECT OUTCOME FROM QRTZ_BATON_HISTORY WHERE ID = ?")) {
        ps.setString(1, "during-outage");
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).as("the entry was written").isTrue();
          assertThat(rs.getString(1)).isEqualTo(Outcome.SUCCEEDED.name());
        }
      }
    } finally {
      writer.close(1_000);
      ds.close();
      server.stop();
    }
  }

  @Test
  void onlyFailuresToReachTheDatabaseAreWaitedOut() {
    assertThat(HistoryWriter.unreachable(new SQLTransientConnectionException("pool timeout")))
        .isTrue();
    assertThat(HistoryWriter.unreachable(new SQLException("connection refused", "08001"))).isTrue();
    assertThat(HistoryWriter.unreachable(new SQLException("starting up", "57P03"))).isTrue();
    assertThat(
            HistoryWriter.unreachable(
                new RuntimeException(new SQLException("terminating connection", "57P01"))))
        .as("a connection failure behind a wrapper")
        .isTrue();
    assertThat(HistoryWriter.unreachable(new SQLException("duplicate key", "23505")))
        .as("a row the database refused")
        .isFalse();
    assertThat(HistoryWriter.unreachable(new SQLException("no state"))).isFalse();
  }

  private static Server tcpServer(Path dir, int port) throws Exception {
    return Server.createTcpServer(
            "-tcpPort", String.valueOf(port), "-baseDir", dir.toString(), "-ifNotExists")
        .start();
  }

  private static Row row(String id) {
    long start = System.currentTimeMillis();
    return new Row(
        id,
        "t",
        "baton",
        "t",
        "baton",
        start,
        start,
        start + 5,
        "w",
        Outcome.SUCCEEDED,
        0,
        false,
        null,
        null,
        null,
        null,
        null,
        null);
  }
}
