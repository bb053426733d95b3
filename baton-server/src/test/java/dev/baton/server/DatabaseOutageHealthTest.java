package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.testing.JdbcUrls;
import dev.baton.testing.PostgresDatabase;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A running node cut off from its PostgreSQL by a black-holed TCP proxy (connections stay open,
 * nothing gets through, no reset): {@code /api/health} goes DOWN with the reason within seconds,
 * answering at once all along, and UP again once the proxy forwards; a recurring task keeps firing
 * afterwards and the history, read from the database, holds no firing twice.
 */
class DatabaseOutageHealthTest {
  @Test
  void healthGoesDownWhileTheDatabaseIsBlackHoledAndUpAfterNothingLost() throws Exception {
    try (PostgresDatabase db = new PostgresDatabase();
        TcpProxy proxy = new TcpProxy("localhost", PostgresDatabase.server().getPort())) {
      String url = JdbcUrls.of(db).replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
      NodeConfig config =
          new NodeConfig(
              url,
              "postgres",
              null,
              "outage-node",
              "127.0.0.1",
              0,
              null,
              2,
              Files.createTempDirectory("baton-node"),
              Duration.ofSeconds(2),
              TestNode.TOKEN);
      // Short pool timeouts, so that the node gives up on a dead connection within the test's time.
      try (BatonNode node =
          BatonNode.start(
              config,
              pool -> {
                pool.setConnectionTimeout(2_000);
                pool.setValidationTimeout(1_000);
              })) {
        try {
          outageAndHeal(node, db, proxy);
        } finally {
          proxy.heal(); // so that a failed run can still close the node
        }
      }
    }
  }

  private static void outageAndHeal(BatonNode node, PostgresDatabase db, TcpProxy proxy)
      throws Exception {
    HikariDataSource direct = db.pool(2);
    Http api = new Http(TestNode.base(node), TestNode.TOKEN);
    assertThat(
            api.put(
                    "/api/tasks/tick",
                    "{\"type\":\"sleep\",\"intervalMs\":500,\"data\":{\"millis\":\"10\"}}")
                .status())
        .isEqualTo(201);
    await("tick runs").atMost(Duration.ofSeconds(30)).until(() -> succeededSince(direct, 0) >= 3);
    Http.Response up = health(api);
    assertThat(up.status()).as(up.body()).isEqualTo(200);
    assertThat(up.json().at("/checks/database/status").asText()).isEqualTo("UP");

    proxy.blackHole();
    // DOWN within a few seconds of the cut; each answer comes at once although the database hangs.
    await("DOWN after the cut")
        .atMost(Duration.ofSeconds(8))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              Http.Response down = health(api);
              assertThat(down.status()).as(down.body()).isEqualTo(503);
              assertThat(down.json().get("status").asText()).isEqualTo("DOWN");
              assertThat(down.json().get("reason").asText())
                  .startsWith("database unreachable for ");
              assertThat(down.json().at("/checks/database/status").asText()).isEqualTo("DOWN");
              assertThat(down.json().get("scheduler").asText())
                  .as("Quartz itself still runs")
                  .isEqualTo("STARTED");
            });
    // It stays DOWN, answering at once every time, for as long as the cut lasts (here 8 s or more).
    await("a long cut")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Http.Response down = health(api);
              assertThat(down.status()).as(down.body()).isEqualTo(503);
              return down.json().at("/checks/database/lastContactAgeMs").asLong() >= 8_000;
            });

    long healedAt = System.currentTimeMillis();
    proxy.heal();
    await("UP after the heal")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              Http.Response again = health(api);
              assertThat(again.status()).as(again.body()).isEqualTo(200);
              assertThat(again.json().has("reason")).isFalse();
            });
    await("tick fires after the heal")
        .atMost(Duration.ofSeconds(30))
        .until(() -> succeededSince(direct, healedAt) >= 3);
    assertThat(firedMoreThanOnce(direct)).as("firings recorded more than once").isEmpty();
    assertThat(outcomes(direct)).as("outcomes of tick").isSubsetOf("SUCCEEDED", "RUNNING");
  }

  /**
   * GET /api/health without a token; it must answer within a second, whatever the database does.
   */
  private static Http.Response health(Http api) {
    long start = System.nanoTime();
    Http.Response r = api.withToken(null).get("/api/health");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("health answered at once")
        .isLessThan(Duration.ofSeconds(1));
    return r;
  }

  private static int succeededSince(HikariDataSource ds, long scheduledAfter) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = 'tick' AND OUTCOME ="
                    + " 'SUCCEEDED' AND SCHEDULED_TIME > ?")) {
      s.setLong(1, scheduledAfter);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static List<String> firedMoreThanOnce(HikariDataSource ds) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT TRIGGER_NAME, SCHEDULED_TIME, COUNT(*) FROM QRTZ_BATON_HISTORY"
                    + " GROUP BY TRIGGER_NAME, TRIGGER_GROUP, SCHEDULED_TIME HAVING COUNT(*) > 1");
        ResultSet rs = s.executeQuery()) {
      while (rs.next())
        out.add(rs.getString(1) + " at " + rs.getLong(2) + ": " + rs.getInt(3) + " times");
    }
    return out;
  }

  private static List<String> outcomes(HikariDataSource ds) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT DISTINCT OUTCOME FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = 'tick'");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }
}
