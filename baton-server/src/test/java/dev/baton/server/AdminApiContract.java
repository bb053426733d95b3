package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin API's contract against a live node on a real database: authentication, every
 * endpoint, and validation errors that name the field and leave nothing written. One subclass per
 * database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AdminApiContract {
  private TestDatabase db;
  private BatonNode node;
  private Http api;

  protected abstract TestDatabase database();

  @BeforeAll
  void startNode() throws Exception {
    db = database();
    node = TestNode.start(db, "api-node", 4);
    api = new Http(TestNode.base(node), TestNode.TOKEN);
  }

  @AfterAll
  void stopNode() {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  @Test
  void healthNeedsNoTokenAndSaysUp() {
    Http.Response r = api.withToken(null).get("/api/health");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("status").asText()).isEqualTo("UP");
    assertThat(r.json().get("nodeId").asText()).isEqualTo("api-node");
    assertThat(r.json().get("scheduler").asText()).isEqualTo("STARTED");
  }

  @Test
  void everyOtherEndpointRefusesMissingOrWrongTokenWithJson401() {
    for (String path : new String[] {"/api/tasks", "/api/nodes", "/api/tasks/x", "/api/stats", "/metrics"}) {
      Http.Response missing = api.withToken(null).get(path);
      assertThat(missing.status()).as(path).isEqualTo(401);
      assertThat(missing.json().get("error").asText()).contains("missing bearer token");
      Http.Response wrong = api.withToken("not-the-token-at-all").get(path);
      assertThat(wrong.status()).as(path).isEqualTo(401);
      assertThat(wrong.json().get("error").asText()).isEqualTo("wrong token");
    }
    assertThat(api.withToken("wrong-token-xxxxxxxx").put("/api/tasks/sneaky", "{\"type\":\"sleep\",\"intervalMs\":1000}").status())
        .isEqualTo(401);
    assertThat(api.withToken(null).post("/api/triggers/reset-errored").status()).isEqualTo(401);
    assertThat(api.get("/api/tasks/sneaky").status()).as("refused request wrote nothing").isEqualTo(404);
  }

  @Test
  void createsReadsRunsPausesResumesAndDeletesATask() {
    Http.Response created = api.put("/api/tasks/crud", "{\"type\":\"sleep\",\"intervalMs\":600000,\"data\":{\"millis\":\"10\"},\"recover\":true}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().get("registration").asText()).isEqualTo("CREATED");
    assertThat(created.json().at("/task/type").asText()).isEqualTo("sleep");
    assertThat(created.json().at("/task/recoverable").asBoolean()).isTrue();
    assertThat(created.json().at("/task/stuck").asBoolean()).as("this live node runs it").isFalse();

    Http.Response same = api.put("/api/tasks/crud", "{\"type\":\"sleep\",\"intervalMs\":600000,\"data\":{\"millis\":\"10\"},\"recover\":true}");
    assertThat(same.status()).isEqualTo(200);
    assertThat(same.json().get("registration").asText()).isEqualTo("UNCHANGED");
    Http.Response replaced = api.put("/api/tasks/crud", "{\"type\":\"sleep-exclusive\",\"cron\":\"0 0 3 * * ?\",\"timeZone\":\"Europe/Paris\",\"misfire\":\"SKIP\"}");
    assertThat(replaced.json().get("registration").asText()).isEqualTo("UPDATED");
    assertThat(replaced.json().at("/task/schedule").asText()).isEqualTo("cron:0 0 3 * * ? @Europe/Paris");
    assertThat(replaced.json().at("/task/nonConcurrent").asBoolean()).isTrue();

    Http.Response one = api.get("/api/tasks/crud");
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().get("misfirePolicy").asText()).isEqualTo("SKIP");
    assertThat(Instant.parse(one.json().get("nextFireTime").asText())).isAfter(Instant.now());
    assertThat(api.get("/api/tasks").json().get("tasks").findValuesAsText("name")).contains("crud");

    assertThat(api.post("/api/tasks/crud/pause").json().get("state").asText()).isEqualTo("PAUSED");
    assertThat(api.get("/api/tasks/crud").json().get("state").asText()).isEqualTo("PAUSED");
    assertThat(api.post("/api/tasks/crud/resume").json().get("state").asText()).isEqualTo("WAITING");

    assertThat(api.delete("/api/tasks/crud").status()).isEqualTo(200);
    assertThat(api.get("/api/tasks/crud").status()).isEqualTo(404);
    assertThat(api.delete("/api/tasks/crud").status()).isEqualTo(404);
  }

  @Test
  void runFiresTheTaskNowAndMetricsCountIt() {
    assertThat(api.put("/api/tasks/on-demand", "{\"type\":\"sleep\",\"at\":\"2099-01-01T00:00:00Z\"}").status()).isEqualTo(201);
    assertThat(api.post("/api/tasks/on-demand/run").status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(api.get("/metrics").body())
            .contains("baton_executions_total{outcome=\"success\",task=\"on-demand\"} 1.0"));
    Http.Response metrics = api.get("/metrics");
    assertThat(metrics.contentType()).startsWith("text/plain");
    assertThat(metrics.body()).contains("baton_execution_duration_seconds_count{task=\"on-demand\"} 1")
        .contains("baton_execution_lateness_seconds_count{task=\"on-demand\"} 1")
        .contains("hikaricp_connections_active");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(api.get("/metrics").body()).contains("baton_nodes_live 1.0"));
    Http.Response stats = api.get("/api/stats");
    long executions = 0;
    for (var b : stats.json().get("buckets")) executions += b.get("succeeded").asLong();
    assertThat(executions).isGreaterThanOrEqualTo(1);
  }

  @Test
  void unknownTaskIs404ForEveryAction() {
    assertThat(api.get("/api/tasks/missing").status()).isEqualTo(404);
    for (String action : new String[] {"run", "pause", "resume"}) {
      Http.Response r = api.post("/api/tasks/missing/" + action);
      assertThat(r.status()).as(action).isEqualTo(404);
      assertThat(r.json().get("error").asText()).contains("missing");
    }
  }

  @Test
  void invalidDefinitionsAreRefusedNamingTheFieldAndWriteNothing() {
    expectField("{\"type\":\"sleep\",\"cron\":\"not a cron\"}", "cron");
    expectField("{\"jobClass\":\"com.example.Missing\",\"intervalMs\":1000}", "jobClass");
    expectField("{\"jobClass\":\"java.lang.String\",\"intervalMs\":1000}", "jobClass");
    expectField("{\"type\":\"shell\",\"intervalMs\":1000}", "type");
    expectField("{\"intervalMs\":1000}", "type");
    expectField("{\"type\":\"sleep\",\"jobClass\":\"dev.baton.server.tasks.SleepJob\",\"intervalMs\":1000}", "jobClass");
    expectField("{\"type\":\"sleep\"}", "schedule");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"cron\":\"0 * * * * ?\"}", "intervalMs");
    expectField("{\"type\":\"sleep\",\"intervalMs\":0}", "intervalMs");
    expectField("{\"type\":\"sleep\",\"intervalMs\":\"soon\"}", "intervalMs");
    expectField("{\"type\":\"sleep\",\"at\":\"tomorrow\"}", "at");
    expectField("{\"type\":\"sleep\",\"cron\":\"0 * * * * ?\",\"timeZone\":\"Mars/Olympus\"}", "timeZone");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"misfire\":\"SOMETIMES\"}", "misfire");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"data\":{\"millis\":5}}", "data");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"data\":{\"millis\":\"lots\"}}", "data");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"recover\":\"yes\"}", "recover");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"owner\":\"me\"}", "owner");
    expectField("{\"type\":\"sleep\",", "body");
    expectField("[1,2]", "body");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000} trailing", "body");
    expectField("{\"type\":\"sleep\",\"type\":\"sleep\",\"intervalMs\":1000}", "body");
    Http.Response badName = api.put("/api/tasks/bad%20name", "{\"type\":\"sleep\",\"intervalMs\":1000}");
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.json().get("field").asText()).isEqualTo("name");
    assertThat(api.get("/api/tasks/refused").status()).as("nothing was written").isEqualTo(404);
  }

  @Test
  void oversizedBodyIsRefusedWith413NamingTheBody() {
    String huge = "{\"type\":\"sleep\",\"intervalMs\":1000,\"description\":\"" + "x".repeat(70 * 1024) + "\"}";
    // Repeated: the answer must reach a client that is still sending, every time.
    for (int i = 0; i < 5; i++) {
      Http.Response r = api.put("/api/tasks/refused", huge);
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.json().get("field").asText()).isEqualTo("body");
      assertThat(r.json().get("error").asText()).contains("65536");
    }
    assertThat(api.get("/api/tasks/refused").status()).isEqualTo(404);
    assertThat(api.get("/api/health").status()).as("the node is still serving").isEqualTo(200);
  }

  @Test
  void nodesListsThisLiveMemberWithWhatItCanRun() {
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Http.Response r = api.get("/api/nodes");
      assertThat(r.status()).isEqualTo(200);
      var me = r.json().get("nodes").findParents("nodeId").stream()
          .filter(n -> n.get("nodeId").asText().equals("api-node")).findFirst().orElseThrow();
      assertThat(me.get("alive").asBoolean()).isTrue();
      assertThat(me.get("version").asText()).isNotBlank();
      assertThat(me.get("lastCheckin").asText()).isNotBlank();
    });
  }

  @Test
  void resetErroredAnswersWithACount() {
    Http.Response r = api.post("/api/triggers/reset-errored");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("reset").asInt()).isZero();
  }

  @Test
  void unknownEndpointsAndMethodsAnswerJson() {
    Http.Response history = api.get("/api/history");
    assertThat(history.status()).isEqualTo(404);
    assertThat(history.json().has("error")).isTrue();
    Http.Response dashboard = api.withToken(null).get("/");
    assertThat(dashboard.status()).isEqualTo(200);
    assertThat(dashboard.body()).contains("<title>Baton</title>").doesNotContain(TestNode.TOKEN);
  }

  private void expectField(String body, String field) {
    Http.Response r = api.put("/api/tasks/refused", body);
    assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
    assertThat(r.json().get("field").asText()).as(body + " -> " + r.body()).isEqualTo(field);
    assertThat(r.json().get("error").asText()).isNotBlank();
  }
}
