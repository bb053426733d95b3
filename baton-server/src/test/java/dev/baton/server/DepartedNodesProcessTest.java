package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.testing.JdbcUrls;
import dev.baton.testing.PostgresDatabase;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Departed nodes through the admin API, with real nodes on one PostgreSQL: one leaves cleanly, one
 * (a separate process running a recoverable task) is killed with SIGKILL and declared dead by the
 * watching node, which re-runs the task. Both are listed with their time, how they left and, for
 * the dead one, what was recovered where; both drop out of the list after the watcher's retention,
 * while their rows stay in the database until the 7-day clean-up.
 */
class DepartedNodesProcessTest {
  private static final Duration RETENTION = Duration.ofSeconds(15);

  @Test
  void aNodeThatLeftAndAKilledNodeAreListedWithTimeAndRecoveriesUntilTheRetention()
      throws Exception {
    try (PostgresDatabase db = new PostgresDatabase();
        NodeProcess doomed =
            NodeProcess.serve(
                TestNode.TOKEN,
                "--db",
                JdbcUrls.of(db),
                "--db-user",
                JdbcUrls.user(db),
                "--node-id",
                "doomed",
                "--threads",
                "1",
                "--data-dir",
                Files.createTempDirectory("baton-doomed").toString())) {
      Http doomedApi = new Http("http://127.0.0.1:" + doomed.port(), TestNode.TOKEN);
      assertThat(
              doomedApi
                  .put(
                      "/api/tasks/long-job",
                      "{\"type\":\"sleep\",\"at\":\"2099-01-01T00:00:00Z\",\"recover\":true,"
                          + "\"data\":{\"millis\":\"20000\"}}")
                  .status())
          .isEqualTo(201);
      // Only doomed is a member yet: the run is its.
      assertThat(doomedApi.post("/api/tasks/long-job/run").status()).isEqualTo(202);
      await("running on doomed")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  doomedApi
                          .get("/api/history?task=long-job&outcome=RUNNING")
                          .json()
                          .get("executions")
                          .size()
                      == 1);

      try (BatonNode watcher = watcher(db)) {
        Http api = new Http(TestNode.base(watcher), TestNode.TOKEN);
        Instant before = Instant.now().minusSeconds(5);
        TestNode.start(db, "leaver", 1).close();
        doomed.process().destroyForcibly();
        assertThat(doomed.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        await("doomed declared dead and its task re-run")
            .atMost(Duration.ofSeconds(40))
            .until(
                () ->
                    departed(api, "doomed") != null
                        && "RERUN"
                            .equals(departed(api, "doomed").at("/recovered/0/fate").asText()));
        JsonNode dead = departed(api, "doomed");
        assertThat(dead.get("departure").asText()).isEqualTo("DECLARED_DEAD");
        assertThat(dead.get("declaredBy").asText()).isEqualTo("watcher");
        assertThat(Instant.parse(dead.get("departedAt").asText()))
            .isAfter(before)
            .isBefore(Instant.now().plusSeconds(5));
        assertThat(dead.get("recovered")).hasSize(1);
        JsonNode recovered = dead.get("recovered").get(0);
        assertThat(recovered.get("task").asText()).isEqualTo("long-job");
        assertThat(recovered.get("outcome").asText()).isEqualTo("ABANDONED");
        assertThat(recovered.get("rerunNode").asText()).isEqualTo("watcher");
        assertThat(recovered.get("rerunOutcome").asText()).isIn("RUNNING", "SUCCEEDED");
        JsonNode left = departed(api, "leaver");
        assertThat(left.get("departure").asText()).isEqualTo("LEFT");
        assertThat(left.get("declaredBy").isNull()).isTrue();
        assertThat(left.get("recovered")).isEmpty();
        assertThat(api.get("/api/nodes").json().get("nodes").findValuesAsText("nodeId"))
            .containsExactly("watcher");

        await("both drop out after the retention")
            .atMost(RETENTION.plusSeconds(30))
            .until(() -> api.get("/api/nodes").json().get("departed").isEmpty());
        // Out of view, not deleted: the rows stay for the 7-day clean-up.
        assertThat(
                rows(
                    db.pool(1),
                    "SELECT INSTANCE_NAME, DEPARTURE, DECLARED_BY FROM"
                        + " QRTZ_BATON_DEPARTED_NODES ORDER BY INSTANCE_NAME"))
            .containsExactly("doomed DECLARED_DEAD watcher", "leaver LEFT null");
      }
    }
  }

  private static BatonNode watcher(PostgresDatabase db) throws Exception {
    return BatonNode.start(
        new NodeConfig(
            JdbcUrls.of(db),
            JdbcUrls.user(db),
            null,
            "watcher",
            "127.0.0.1",
            0,
            null,
            2,
            Files.createTempDirectory("baton-watcher"),
            Duration.ofSeconds(2),
            TestNode.TOKEN,
            "baton",
            "QRTZ_",
            RETENTION));
  }

  private static JsonNode departed(Http api, String node) {
    return StreamSupport.stream(api.get("/api/nodes").json().get("departed").spliterator(), false)
        .filter(d -> d.get("nodeId").asText().equals(node))
        .findFirst()
        .orElse(null);
  }

  private static List<String> rows(DataSource ds, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
    }
    return out;
  }
}
