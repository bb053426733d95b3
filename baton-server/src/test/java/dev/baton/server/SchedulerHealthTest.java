package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.server.api.Json;
import dev.baton.testing.H2Database;
import dev.baton.testing.JdbcUrls;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A node whose scheduler is not running reports DOWN (503) with the reason, over HTTP and through
 * {@code baton health}: in standby, while shutting down (draining a running execution), and shut
 * down. UP, exit 0, otherwise.
 */
class SchedulerHealthTest {
  /** What one command printed and returned. */
  record Result(int code, String out, String err) {}

  @Test
  void upNodeSaysUpAndCliExitsZero() throws Exception {
    try (H2Database db = new H2Database();
        BatonNode node = TestNode.start(db, "up-node", 2)) {
      Result cli = cli("health", "--url", TestNode.base(node));
      assertThat(cli.code()).as(cli.err()).isZero();
      assertThat(cli.out())
          .startsWith("UP  node up-node  scheduler STARTED  database UP")
          .doesNotContain("reason");
      Result json = cli("health", "--json", "--url", TestNode.base(node));
      assertThat(json.code()).isZero();
      JsonNode body = Json.MAPPER.readTree(json.out());
      assertThat(body.get("status").asText()).isEqualTo("UP");
      assertThat(body.at("/checks/scheduler/state").asText()).isEqualTo("STARTED");
    }
  }

  @Test
  void schedulerInStandbyIsDown() throws Exception {
    try (H2Database db = new H2Database();
        BatonNode node = TestNode.start(db, "standby-node", 2)) {
      Http api = new Http(TestNode.base(node), TestNode.TOKEN);
      assertThat(
              api.put(
                      "/api/tasks/standby",
                      "{\"jobClass\":\"dev.baton.server.StandbyJob\",\"at\":\"2099-01-01T00:00:00Z\"}")
                  .status())
          .isEqualTo(201);
      assertThat(api.post("/api/tasks/standby/run").status()).isEqualTo(202);
      await("DOWN in standby")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                Http.Response r = api.withToken(null).get("/api/health");
                assertThat(r.status()).as(r.body()).isEqualTo(503);
                assertThat(r.json().get("scheduler").asText()).isEqualTo("STANDBY");
                assertThat(r.json().get("reason").asText())
                    .isEqualTo("scheduler in standby: not acquiring triggers");
                assertThat(r.json().at("/checks/database/status").asText())
                    .as("the database is fine")
                    .isEqualTo("UP");
              });
      Result cli = cli("health", "--url", TestNode.base(node));
      assertThat(cli.code()).isEqualTo(1);
      assertThat(cli.out())
          .startsWith("DOWN  node standby-node  scheduler STANDBY")
          .contains("reason: scheduler in standby: not acquiring triggers");
    }
  }

  @Test
  void drainingNodeIsDownUntilItStopsAndAClosedSchedulerIsDown() throws Exception {
    try (H2Database db = new H2Database();
        BatonNode node = TestNode.start(db, "closing-node", 2)) {
      Http api = new Http(TestNode.base(node), TestNode.TOKEN);
      assertThat(
              api.put(
                      "/api/tasks/long",
                      "{\"type\":\"sleep\",\"at\":\"2099-01-01T00:00:00Z\",\"data\":{\"millis\":\"1500\"}}")
                  .status())
          .isEqualTo(201);
      assertThat(api.post("/api/tasks/long/run").status()).isEqualTo(202);
      await("running")
          .atMost(Duration.ofSeconds(30))
          .until(() -> node.baton().runningExecutions() > 0);

      // Closing the cluster member directly: the admin server keeps serving.
      CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> node.baton().close());
      await("DOWN while draining")
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                Http.Response r = api.withToken(null).get("/api/health");
                assertThat(r.status()).as(r.body()).isEqualTo(503);
                assertThat(r.json().get("reason").asText())
                    .isIn("scheduler in standby: not acquiring triggers", "scheduler shut down");
              });
      closing.get();
      await("DOWN once shut down")
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                Http.Response r = api.withToken(null).get("/api/health");
                assertThat(r.status()).as(r.body()).isEqualTo(503);
                assertThat(r.json().get("status").asText()).isEqualTo("DOWN");
                assertThat(r.json().get("scheduler").asText()).isEqualTo("SHUT_DOWN");
                assertThat(r.json().get("reason").asText()).isEqualTo("scheduler shut down");
              });
      Result cli = cli("health", "--url", TestNode.base(node));
      assertThat(cli.code()).isEqualTo(1);
      assertThat(cli.out())
          .startsWith("DOWN  node closing-node  scheduler SHUT_DOWN")
          .contains("reason: scheduler shut down");
      Result json = cli("health", "--json", "--url", TestNode.base(node));
      assertThat(json.code()).isEqualTo(1);
      assertThat(Json.MAPPER.readTree(json.out()).get("reason").asText())
          .isEqualTo("scheduler shut down");
    }
  }

  @Test
  void nodeShuttingDownAnswersDownWhileItDrains() throws Exception {
    // A drain timeout well past the running sleep: the node drains it whole.
    try (H2Database db = new H2Database();
        BatonNode node =
            BatonNode.start(
                new NodeConfig(
                    JdbcUrls.of(db),
                    JdbcUrls.user(db),
                    null,
                    "draining-node",
                    "127.0.0.1",
                    0,
                    null,
                    2,
                    Files.createTempDirectory("baton-node"),
                    Duration.ofSeconds(30),
                    TestNode.TOKEN))) {
      Http api = new Http(TestNode.base(node), TestNode.TOKEN);
      assertThat(
              api.put(
                      "/api/tasks/long",
                      "{\"type\":\"sleep\",\"at\":\"2099-01-01T00:00:00Z\",\"data\":{\"millis\":\"4000\"}}")
                  .status())
          .isEqualTo(201);
      assertThat(api.post("/api/tasks/long/run").status()).isEqualTo(202);
      await("running")
          .atMost(Duration.ofSeconds(30))
          .until(() -> node.baton().runningExecutions() > 0);

      CompletableFuture<Void> closing = CompletableFuture.runAsync(node::close);
      await("DOWN while draining")
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                Http.Response r = api.withToken(null).get("/api/health");
                assertThat(r.status()).as(r.body()).isEqualTo(503);
                assertThat(r.json().get("scheduler").asText()).isEqualTo("SHUTTING_DOWN");
                assertThat(r.json().get("reason").asText())
                    .isEqualTo("node shutting down: draining running executions");
              });
      Result cli = cli("health", "--url", TestNode.base(node));
      assertThat(cli.code()).isEqualTo(1);
      assertThat(cli.out()).contains("reason: node shutting down: draining running executions");
      closing.get();
    }
  }

  private static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
