package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin API's contract against a live node on a real database: authentication, every endpoint,
 * and validation errors that name the field and leave nothing written. One subclass per database.
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
    assertThat(r.json().has("reason")).as("no reason when UP").isFalse();
    assertThat(r.json().at("/checks/database/status").asText()).isEqualTo("UP");
    assertThat(r.json().at("/checks/database/lastContactAgeMs").asLong()).isBetween(0L, 3_000L);
    assertThat(r.json().at("/checks/scheduler/state").asText()).isEqualTo("STARTED");
  }

  @Test
  void everyOtherEndpointRefusesMissingOrWrongTokenWithJson401() {
    for (String path :
        new String[] {
          "/api/tasks",
          "/api/nodes",
          "/api/tasks/x",
          "/api/tasks/x/next",
          "/api/stats",
          "/metrics",
          "/api/history",
          "/api/history/activity",
          "/api/locks"
        }) {
      Http.Response missing = api.withToken(null).get(path);
      assertThat(missing.status()).as(path).isEqualTo(401);
      assertThat(missing.json().get("error").asText()).contains("missing bearer token");
      Http.Response wrong = api.withToken("not-the-token-at-all").get(path);
      assertThat(wrong.status()).as(path).isEqualTo(401);
      assertThat(wrong.json().get("error").asText()).isEqualTo("wrong token");
    }
    assertThat(
            api.withToken("wrong-token-xxxxxxxx")
                .put("/api/tasks/sneaky", "{\"type\":\"sleep\",\"intervalMs\":1000}")
                .status())
        .isEqualTo(401);
    assertThat(api.withToken(null).post("/api/triggers/reset-errored").status()).isEqualTo(401);
    assertThat(api.get("/api/tasks/sneaky").status())
        .as("refused request wrote nothing")
        .isEqualTo(404);
  }

  @Test
  void createsReadsRunsPausesResumesAndDeletesATask() {
    Http.Response created =
        api.put(
            "/api/tasks/crud",
            "{\"type\":\"sleep\",\"intervalMs\":600000,\"data\":{\"millis\":\"10\"},\"recover\":true}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().get("registration").asText()).isEqualTo("CREATED");
    assertThat(created.json().at("/task/type").asText()).isEqualTo("sleep");
    assertThat(created.json().at("/task/recoverable").asBoolean()).isTrue();
    assertThat(created.json().at("/task/stuck").asBoolean()).as("this live node runs it").isFalse();

    Http.Response same =
        api.put(
            "/api/tasks/crud",
            "{\"type\":\"sleep\",\"intervalMs\":600000,\"data\":{\"millis\":\"10\"},\"recover\":true}");
    assertThat(same.status()).isEqualTo(200);
    assertThat(same.json().get("registration").asText()).isEqualTo("UNCHANGED");
    Http.Response replaced =
        api.put(
            "/api/tasks/crud",
            "{\"type\":\"sleep-exclusive\",\"cron\":\"0 0 3 * *"
                + " ?\",\"timeZone\":\"Europe/Paris\",\"misfire\":\"SKIP\"}");
    assertThat(replaced.json().get("registration").asText()).isEqualTo("UPDATED");
    assertThat(replaced.json().at("/task/schedule").asText())
        .isEqualTo("cron:0 0 3 * * ? @Europe/Paris");
    assertThat(replaced.json().at("/task/nonConcurrent").asBoolean()).isTrue();
    Http.Response stockDst =
        api.put(
            "/api/tasks/crud",
            "{\"type\":\"sleep-exclusive\",\"cron\":\"0 0 3 * *"
                + " ?\",\"timeZone\":\"Europe/Paris\",\"misfire\":\"SKIP\",\"dstPolicy\":\"QUARTZ\"}");
    assertThat(stockDst.json().get("registration").asText()).isEqualTo("UPDATED");
    assertThat(stockDst.json().at("/task/schedule").asText())
        .isEqualTo("cron:0 0 3 * * ? @Europe/Paris dst:QUARTZ");

    Http.Response one = api.get("/api/tasks/crud");
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().get("misfirePolicy").asText()).isEqualTo("SKIP");
    assertThat(Instant.parse(one.json().get("nextFireTime").asText())).isAfter(Instant.now());
    assertThat(api.get("/api/tasks").json().get("tasks").findValuesAsText("name")).contains("crud");

    assertThat(api.post("/api/tasks/crud/pause").json().get("state").asText()).isEqualTo("PAUSED");
    assertThat(api.get("/api/tasks/crud").json().get("state").asText()).isEqualTo("PAUSED");
    assertThat(api.post("/api/tasks/crud/resume").json().get("state").asText())
        .isEqualTo("WAITING");

    assertThat(api.delete("/api/tasks/crud").status()).isEqualTo(200);
    assertThat(api.get("/api/tasks/crud").status()).isEqualTo(404);
    assertThat(api.delete("/api/tasks/crud").status()).isEqualTo(404);
  }

  /**
   * A task put again with its schedule unchanged keeps its fire times and its pause
   * (re-registration never rewinds): before, its trigger restarted at the time of the request.
   */
  @Test
  void aTaskPutAgainWithItsScheduleUnchangedKeepsItsFireTimesAndItsPause() {
    String first = "{\"type\":\"sleep\",\"intervalMs\":1000,\"data\":{\"millis\":\"1\"}}";
    assertThat(api.put("/api/tasks/again", first).status()).isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get("/api/tasks/again").json().hasNonNull("previousFireTime"));
    assertThat(api.post("/api/tasks/again/pause").status()).isEqualTo(200);
    String next = api.get("/api/tasks/again").json().get("nextFireTime").asText();

    String changed = "{\"type\":\"sleep\",\"intervalMs\":1000,\"data\":{\"millis\":\"2\"}}";
    Http.Response again = api.put("/api/tasks/again", changed);
    assertThat(again.json().get("registration").asText()).isEqualTo("UPDATED");
    Http.Response after = api.get("/api/tasks/again");
    assertThat(after.json().get("state").asText()).isEqualTo("PAUSED");
    assertThat(after.json().get("nextFireTime").asText()).isEqualTo(next);
    assertThat(api.delete("/api/tasks/again").status()).isEqualTo(200);
  }

  @Test
  void runFiresTheTaskNowAndMetricsCountIt() {
    assertThat(
            api.put("/api/tasks/on-demand", "{\"type\":\"sleep\",\"at\":\"2099-01-01T00:00:00Z\"}")
                .status())
        .isEqualTo(201);
    assertThat(api.post("/api/tasks/on-demand/run").status()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(api.get("/metrics").body())
                    .contains(
                        "baton_executions_total{outcome=\"success\",task=\"on-demand\"} 1.0"));
    Http.Response metrics = api.get("/metrics");
    assertThat(metrics.contentType()).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("baton_execution_duration_seconds_count{task=\"on-demand\"} 1")
        .contains("baton_execution_lateness_seconds_count{task=\"on-demand\"} 1")
        .contains("hikaricp_connections_active");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(api.get("/metrics").body()).contains("baton_nodes_live 1.0"));
    Http.Response stats = api.get("/api/stats");
    long executions = 0;
    for (var b : stats.json().get("buckets")) executions += b.get("succeeded").asLong();
    assertThat(executions).isGreaterThanOrEqualTo(1);
  }

  @Test
  void runsPostedToAnOnDemandTaskFireOnceEachWithTheirDataAndBadOnesWriteNothing() {
    Http.Response created = api.put("/api/tasks/mailer", "{\"type\":\"sleep\",\"onDemand\":true}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().at("/task/schedule").asText()).isEqualTo("on-demand");
    assertThat(created.json().at("/task/state").asText()).isEqualTo("NONE");

    // Refused whole, naming the run and its field: nothing is stored.
    String bad =
        "{\"runs\":[{\"id\":\"ok\",\"at\":\"2099-01-01T00:00:00Z\"},"
            + "{\"id\":\"late\",\"at\":\"tomorrow\"}]}";
    Http.Response refused = api.post("/api/tasks/mailer/runs", bad);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("field").asText()).isEqualTo("runs[1].at");
    Http.Response badData =
        api.post("/api/tasks/mailer/runs", "{\"id\":\"x\",\"data\":{\"millis\":5}}");
    assertThat(badData.json().get("field").asText()).isEqualTo("data");
    // The sleep type reads "millis": a run's is checked as a definition's.
    Http.Response badMillis =
        api.post("/api/tasks/mailer/runs", "{\"runs\":[{},{\"data\":{\"millis\":\"soon\"}}]}");
    assertThat(badMillis.status()).isEqualTo(400);
    assertThat(badMillis.json().get("field").asText()).isEqualTo("runs[1].data");
    assertThat(api.post("/api/tasks/mailer/runs", "{\"runs\":[]}").status()).isEqualTo(400);
    assertThat(api.post("/api/tasks/nobody/runs", "{}").status()).isEqualTo(404);
    assertThat(api.get("/api/tasks/mailer").json().get("pendingRuns").asInt()).isZero();

    Http.Response later =
        api.post("/api/tasks/mailer/runs", "{\"id\":\"later\",\"at\":\"2099-01-01T00:00:00Z\"}");
    assertThat(later.status()).isEqualTo(201);
    assertThat(
            api.post("/api/tasks/mailer/runs", "{\"id\":\"later\"}")
                .json()
                .get("unchanged")
                .asInt())
        .isEqualTo(1);
    Http.Response now =
        api.post(
            "/api/tasks/mailer/runs",
            "{\"runs\":[{\"id\":\"a\",\"data\":{\"millis\":\"1\"}},{\"id\":\"b\"},{}]}");
    assertThat(now.status()).isEqualTo(201);
    assertThat(now.json().get("created").asInt()).isEqualTo(3);
    assertThat(now.json().at("/runs/0/id").asText()).isEqualTo("a");
    assertThat(now.json().at("/runs/2/id").asText()).isNotBlank();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(api.get("/metrics").body())
                    .contains("baton_executions_total{outcome=\"success\",task=\"mailer\"} 3.0"));
    // The far one is still pending; the three that fired are gone.
    assertThat(api.get("/api/tasks/mailer").json().get("pendingRuns").asInt()).isEqualTo(1);
  }

  @Test
  void unknownTaskIs404ForEveryAction() {
    assertThat(api.get("/api/tasks/missing").status()).isEqualTo(404);
    for (String action : new String[] {"run", "pause", "resume", "retry"}) {
      Http.Response r = api.post("/api/tasks/missing/" + action);
      assertThat(r.status()).as(action).isEqualTo(404);
      assertThat(r.json().get("error").asText()).contains("missing");
    }
    Http.Response next = api.get("/api/tasks/missing/next?count=3");
    assertThat(next.status()).isEqualTo(404);
    assertThat(next.json().get("error").asText()).contains("missing");
  }

  @Test
  void taskDetailHasNextFireTimesFromItsScheduleAndItsRetryState() {
    Http.Response created =
        api.put(
            "/api/tasks/daily",
            "{\"type\":\"sleep\",\"cron\":\"0 30 3 * * ?\",\"timeZone\":\"UTC\","
                + "\"retry\":{\"maxAttempts\":3}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    var task = api.get("/api/tasks/daily").json();
    assertThat(task.get("name").asText()).isEqualTo("daily");
    assertThat(task.get("paused").asBoolean()).isFalse();
    assertThat(task.get("runningNow")).isEmpty();
    assertThat(task.at("/retryState/policy/maxAttempts").asInt()).isEqualTo(3);
    assertThat(task.at("/retryState/pending").asInt()).isZero();
    assertThat(task.at("/concurrency/running").asInt()).isZero();
    assertThat(task.at("/concurrency/atLimit").asBoolean()).isFalse();
    List<Instant> five = instants(task.get("nextFireTimes"));
    assertThat(five).hasSize(5);
    assertThat(five.get(0)).isEqualTo(Instant.parse(task.get("nextFireTime").asText()));
    for (int i = 0; i < five.size(); i++) {
      assertThat(five.get(i).toString()).endsWith("T03:30:00Z");
      if (i > 0) assertThat(Duration.between(five.get(i - 1), five.get(i))).hasDays(1);
    }

    Http.Response next = api.get("/api/tasks/daily/next?count=12");
    assertThat(next.status()).isEqualTo(200);
    assertThat(next.json().get("task").asText()).isEqualTo("daily");
    assertThat(next.json().get("schedule").asText()).isEqualTo("cron:0 30 3 * * ? @UTC");
    List<Instant> twelve = instants(next.json().get("nextFireTimes"));
    assertThat(twelve).hasSize(12).startsWith(five.toArray(Instant[]::new));
    assertThat(instants(api.get("/api/tasks/daily/next").json().get("nextFireTimes")))
        .isEqualTo(five);

    // Paused: still the times it would fire at once resumed, and the page says it is paused.
    api.post("/api/tasks/daily/pause");
    var paused = api.get("/api/tasks/daily").json();
    assertThat(paused.get("paused").asBoolean()).isTrue();
    assertThat(instants(paused.get("nextFireTimes"))).isEqualTo(five);

    for (String bad : new String[] {"0", "101", "abc", "-1"}) {
      Http.Response r = api.get("/api/tasks/daily/next?count=" + bad);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.json().get("field").asText()).isEqualTo("count");
      assertThat(r.json().get("error").asText()).contains(bad);
    }
    // A one-shot fires once: one time, however many are asked for.
    api.put("/api/tasks/done-once", "{\"type\":\"sleep\",\"at\":\"2099-01-01T00:00:00Z\"}");
    assertThat(instants(api.get("/api/tasks/done-once/next?count=3").json().get("nextFireTimes")))
        .containsExactly(Instant.parse("2099-01-01T00:00:00Z"));
    assertThat(api.delete("/api/tasks/daily").status()).isEqualTo(200);
    assertThat(api.delete("/api/tasks/done-once").status()).isEqualTo(200);
  }

  @Test
  void nodesListsADepartedNodeWithItsTimeAndHowItLeft() throws Exception {
    Instant before = Instant.now().minusSeconds(5);
    BatonNode leaver = TestNode.start(db, "api-leaver", 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.get("/api/nodes")
                    .json()
                    .get("nodes")
                    .findValuesAsText("nodeId")
                    .contains("api-leaver"));
    leaver.close();

    Http.Response r = api.get("/api/nodes");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("nodes").findValuesAsText("nodeId")).doesNotContain("api-leaver");
    assertThat(r.json().get("departedRetentionSeconds").asLong()).isEqualTo(86_400);
    var departed = r.json().get("departed");
    var leaverRow =
        java.util.stream.StreamSupport.stream(departed.spliterator(), false)
            .filter(d -> d.get("nodeId").asText().equals("api-leaver"))
            .findFirst()
            .orElseThrow();
    assertThat(leaverRow.get("departure").asText()).isEqualTo("LEFT");
    assertThat(leaverRow.get("declaredBy").isNull()).isTrue();
    assertThat(Instant.parse(leaverRow.get("departedAt").asText()))
        .isAfter(before)
        .isBefore(Instant.now().plusSeconds(5));
    assertThat(leaverRow.get("recovered")).isEmpty();
    assertThat(api.get("/api/nodes?departed=true").json().get("departed")).isEqualTo(departed);
    assertThat(api.get("/api/nodes?departed=false").json().has("departed")).isFalse();
    Http.Response bad = api.get("/api/nodes?departed=maybe");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asText()).isEqualTo("departed");
    assertThat(bad.json().get("error").asText()).contains("maybe");
  }

  private static List<Instant> instants(com.fasterxml.jackson.databind.JsonNode array) {
    List<Instant> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(Instant.parse(n.asText())));
    return out;
  }

  @Test
  void invalidDefinitionsAreRefusedNamingTheFieldAndWriteNothing() {
    expectField("{\"type\":\"sleep\",\"cron\":\"not a cron\"}", "cron");
    expectField("{\"jobClass\":\"com.example.Missing\",\"intervalMs\":1000}", "jobClass");
    expectField("{\"jobClass\":\"java.lang.String\",\"intervalMs\":1000}", "jobClass");
    expectField("{\"type\":\"shell\",\"intervalMs\":1000}", "type");
    expectField("{\"intervalMs\":1000}", "type");
    expectField(
        "{\"type\":\"sleep\",\"jobClass\":\"dev.baton.server.tasks.SleepJob\",\"intervalMs\":1000}",
        "jobClass");
    expectField("{\"type\":\"sleep\"}", "schedule");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"cron\":\"0 * * * * ?\"}", "intervalMs");
    expectField("{\"type\":\"sleep\",\"intervalMs\":0}", "intervalMs");
    expectField("{\"type\":\"sleep\",\"intervalMs\":\"soon\"}", "intervalMs");
    expectField("{\"type\":\"sleep\",\"at\":\"tomorrow\"}", "at");
    expectField(
        "{\"type\":\"sleep\",\"cron\":\"0 * * * * ?\",\"timeZone\":\"Mars/Olympus\"}", "timeZone");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"misfire\":\"SOMETIMES\"}", "misfire");
    expectField(
        "{\"type\":\"sleep\",\"cron\":\"0 * * * * ?\",\"dstPolicy\":\"VIXIE\"}", "dstPolicy");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"dstPolicy\":\"QUARTZ\"}", "dstPolicy");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"data\":{\"millis\":5}}", "data");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"data\":{\"millis\":\"lots\"}}", "data");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"recover\":\"yes\"}", "recover");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"owner\":\"me\"}", "owner");
    expectField("{\"type\":\"sleep\",", "body");
    expectField("[1,2]", "body");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000} trailing", "body");
    expectField("{\"type\":\"sleep\",\"type\":\"sleep\",\"intervalMs\":1000}", "body");
    Http.Response badName =
        api.put("/api/tasks/bad%20name", "{\"type\":\"sleep\",\"intervalMs\":1000}");
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.json().get("field").asText()).isEqualTo("name");
    assertThat(api.get("/api/tasks/refused").status()).as("nothing was written").isEqualTo(404);
  }

  @Test
  void aBadMaxConcurrentIsRefusedNamingTheFieldAndWritesNothing() {
    for (String bad :
        new String[] {"0", "-1", "\"x\"", "1.5", "\"2\"", "true", "{}", "3000000000"}) {
      expectField(
          "{\"type\":\"sleep\",\"intervalMs\":1000,\"maxConcurrent\":" + bad + "}",
          "maxConcurrent");
    }
    assertThat(api.get("/api/tasks/refused").status()).as("nothing was written").isEqualTo(404);
    assertThat(api.get("/api/tasks").json().get("tasks").findValuesAsText("name"))
        .doesNotContain("refused");
  }

  @Test
  void aLimitedTaskShowsItsRunningExecutionsAgainstItsLimit() {
    // Every 300 ms, each execution sleeping 8 s: a firing below the limit unblocks the next one.
    Http.Response created =
        api.put(
            "/api/tasks/limited",
            "{\"type\":\"sleep\",\"intervalMs\":300,\"maxConcurrent\":2,\"data\":{\"millis\":\"8000\"}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().at("/task/maxConcurrent").asInt()).isEqualTo(2);

    await()
        .atMost(Duration.ofSeconds(7))
        .untilAsserted(
            () -> {
              var task = api.get("/api/tasks/limited").json();
              assertThat(task.get("running").asInt()).as(task.toString()).isEqualTo(2);
              assertThat(task.get("maxConcurrent").asInt()).isEqualTo(2);
              assertThat(task.get("runningOn"))
                  .extracting(n -> n.asText())
                  .containsExactly("api-node", "api-node");
              // The task page's facts: where it runs and since when, and the limit reached.
              assertThat(task.get("runningNow")).hasSize(2);
              assertThat(task.at("/runningNow/0/nodeId").asText()).isEqualTo("api-node");
              assertThat(Instant.parse(task.at("/runningNow/0/since").asText()))
                  .isBefore(Instant.now().plusSeconds(1));
              assertThat(task.at("/concurrency/atLimit").asBoolean()).isTrue();
              assertThat(task.at("/concurrency/maxConcurrent").asInt()).isEqualTo(2);
            });
    assertThat(api.post("/api/tasks/limited/pause").status()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(api.get("/api/tasks/limited").json().get("running").asInt()).isZero());
    assertThat(api.delete("/api/tasks/limited").status()).isEqualTo(200);
  }

  @Test
  // Quartz stored a trigger of a running non-concurrent job BLOCKED; a limited job is one to
  // Quartz,
  // so this second run waited for the first until BatonJobStore.checkBlockedState counted the
  // limit.
  void aRunOfALimitedTaskBelowItsLimitStartsWhileAnotherExecutionRuns() {
    Http.Response created =
        api.put(
            "/api/tasks/limited-runs",
            "{\"type\":\"sleep\",\"at\":\"2099-01-01T00:00:00Z\",\"maxConcurrent\":2,\"data\":{\"millis\":\"8000\"}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(api.post("/api/tasks/limited-runs/run").status()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(7))
        .untilAsserted(
            () ->
                assertThat(api.get("/api/tasks/limited-runs").json().get("running").asInt())
                    .isEqualTo(1));

    assertThat(api.post("/api/tasks/limited-runs/run").status()).isEqualTo(202);

    try {
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                var task = api.get("/api/tasks/limited-runs").json();
                assertThat(task.get("running").asInt()).as(task.toString()).isEqualTo(2);
              });
    } finally {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(api.get("/api/tasks/limited-runs").json().get("running").asInt())
                      .isZero());
      api.delete("/api/tasks/limited-runs");
    }
  }

  @Test
  void oversizedBodyIsRefusedWith413NamingTheBody() {
    String huge =
        "{\"type\":\"sleep\",\"intervalMs\":1000,\"description\":\""
            + "x".repeat(70 * 1024)
            + "\"}";
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
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Http.Response r = api.get("/api/nodes");
              assertThat(r.status()).isEqualTo(200);
              var me =
                  r.json().get("nodes").findParents("nodeId").stream()
                      .filter(n -> n.get("nodeId").asText().equals("api-node"))
                      .findFirst()
                      .orElseThrow();
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
    Http.Response unknown = api.get("/api/nope");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").asText()).contains("/api/nope");
    Http.Response method = api.post("/api/locks");
    assertThat(method.status()).isIn(404, 405);
    assertThat(method.json().has("error")).isTrue();
    Http.Response dashboard = api.withToken(null).get("/");
    assertThat(dashboard.status()).isEqualTo(200);
    assertThat(dashboard.body()).contains("<title>Baton</title>").doesNotContain(TestNode.TOKEN);
  }

  @Test
  void historyListsExecutionsNewestFirstFilteredAndPaged() {
    assertThat(
            api.put("/api/tasks/hist", "{\"type\":\"sleep\",\"at\":\"2099-01-01T00:00:00Z\"}")
                .status())
        .isEqualTo(201);
    for (int i = 1; i <= 3; i++) {
      assertThat(api.post("/api/tasks/hist/run").status()).isEqualTo(202);
      int n = i;
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  api.get("/api/history?task=hist&outcome=SUCCEEDED")
                          .json()
                          .get("executions")
                          .size()
                      == n);
    }
    Http.Response first = api.get("/api/history?task=hist&limit=2");
    assertThat(first.status()).isEqualTo(200);
    var page = first.json().get("executions");
    assertThat(page).hasSize(2);
    assertThat(page.get(0).get("task").asText()).isEqualTo("hist");
    assertThat(page.get(0).get("nodeId").asText()).isEqualTo("api-node");
    assertThat(page.get(0).get("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(page.get(0).get("startedAt").asText())
        .isGreaterThanOrEqualTo(page.get(1).get("startedAt").asText());
    String cursor = first.json().get("nextCursor").asText();
    var rest =
        api.get(
                "/api/history?task=hist&limit=2&before="
                    + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8))
            .json();
    assertThat(rest.get("executions")).hasSize(1);
    assertThat(rest.get("nextCursor").isNull()).isTrue();
    assertThat(api.get("/api/history?task=hist&outcome=FAILED,VETOED").json().get("executions"))
        .isEmpty();
    assertThat(api.get("/api/history?task=hist&node=elsewhere").json().get("executions")).isEmpty();
    assertThat(
            api.get("/api/history?task=hist&since=2099-01-01T00:00:00Z").json().get("executions"))
        .isEmpty();

    var activity = api.get("/api/history/activity").json();
    long succeeded = 0;
    for (var c : activity.get("counts")) {
      if (c.get("node").asText().equals("api-node")
          && c.get("outcome").asText().equals("SUCCEEDED")) succeeded += c.get("count").asLong();
    }
    assertThat(succeeded).isGreaterThanOrEqualTo(3);
    assertThat(activity.get("buckets").asInt()).isEqualTo(30);

    expectQueryField("/api/history?limit=0", "limit");
    expectQueryField("/api/history?limit=5000", "limit");
    expectQueryField("/api/history?limit=lots", "limit");
    expectQueryField("/api/history?outcome=MAYBE", "outcome");
    expectQueryField("/api/history?since=yesterday", "since");
    expectQueryField("/api/history?since=2030-01-02T00:00:00Z&until=2030-01-01T00:00:00Z", "until");
    expectQueryField("/api/history?before=not-a-cursor", "before");
    expectQueryField("/api/history/activity?minutes=100000", "minutes");
  }

  @Test
  void tasksUnderALockCarryTheirTokenAndLocksCanBeListedAndForceReleased() throws Exception {
    Http.Response created =
        api.put(
            "/api/tasks/locked",
            "{\"type\":\"sleep\",\"at\":\"2099-01-01T00:00:00Z\",\"lock\":\"report\",\"lockLeaseMs\":60000}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().at("/task/lock").asText()).isEqualTo("report");
    assertThat(created.json().at("/task/lockLeaseMs").asLong()).isEqualTo(60000);

    api.post("/api/tasks/locked/run");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.get("/api/history?task=locked&outcome=SUCCEEDED")
                        .json()
                        .get("executions")
                        .size()
                    == 1);
    long ranWith =
        api.get("/api/history?task=locked").json().at("/executions/0/fencingToken").asLong();
    assertThat(ranWith).isPositive();

    var held = node.baton().locks().tryAcquire("report", Duration.ofMinutes(1)).orElseThrow();
    assertThat(held.fencingToken()).isGreaterThan(ranWith);
    var locks = api.get("/api/locks").json().get("locks");
    assertThat(locks).hasSize(1);
    assertThat(locks.get(0).get("name").asText()).isEqualTo("report");
    assertThat(locks.get(0).get("holder").asText()).isEqualTo("api-node");
    assertThat(locks.get(0).get("token").asLong()).isEqualTo(held.fencingToken());

    api.post("/api/tasks/locked/run");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var vetoed =
                  api.get("/api/history?task=locked&outcome=VETOED").json().get("executions");
              assertThat(vetoed).hasSize(1);
              assertThat(vetoed.get(0).get("error").asText())
                  .contains("lock 'report' held by api-node (token " + held.fencingToken() + ")");
            });

    String metrics = api.get("/metrics").body();
    assertThat(metrics)
        .contains("baton_lock_wait_seconds_count{lock=\"report\"}")
        .contains("baton_lock_hold_seconds_count{lock=\"report\"} 1")
        .contains("baton_lock_busy_total{lock=\"report\"} 1.0")
        .contains("baton_executions_total{outcome=\"vetoed\",task=\"locked\"} 1.0");

    Http.Response released = api.delete("/api/locks/report");
    assertThat(released.status()).isEqualTo(200);
    assertThat(released.json().at("/was/token").asLong()).isEqualTo(held.fencingToken());
    assertThat(held.isHeld()).isFalse();
    assertThat(api.get("/api/locks").json().get("locks")).isEmpty();
    Http.Response again = api.delete("/api/locks/report");
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.json().get("field").asText()).isEqualTo("name");

    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"lockLeaseMs\":1000}", "lockLeaseMs");
    expectField(
        "{\"type\":\"sleep\",\"intervalMs\":1000,\"lock\":\"report\",\"lockLeaseMs\":0}",
        "lockLeaseMs");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"lock\":\"\"}", "lock");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"lock\":7}", "lock");
  }

  private void expectQueryField(String path, String field) {
    Http.Response r = api.get(path);
    assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(400);
    assertThat(r.json().get("field").asText()).as(path).isEqualTo(field);
  }

  @Test
  void aFailingTaskWithRetriesEndsAsATerminalFailureThatCanBeRetriedByHand() throws Exception {
    String body =
        "{\"jobClass\":\""
            + FailingJob.class.getName()
            + "\",\"at\":\"2099-01-01T00:00:00Z\","
            + "\"retry\":{\"maxAttempts\":2,\"initialDelayMs\":100,\"maxDelayMs\":100,\"jitter\":0,"
            + "\"retryOn\":[\"org.quartz.JobExecutionException\"]}}";
    Http.Response created = api.put("/api/tasks/retrying", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().at("/task/retry/maxAttempts").asInt()).isEqualTo(2);
    assertThat(created.json().at("/task/retry/retryOn/0").asText())
        .isEqualTo("org.quartz.JobExecutionException");

    api.post("/api/tasks/retrying/run");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.get("/api/history?task=retrying&outcome=FAILED").json().get("executions").size()
                    == 2);
    var failed = api.get("/api/history?task=retrying&outcome=FAILED").json().get("executions");
    // Newest first: the second attempt is the terminal one.
    assertThat(failed.at("/0/details/baton.attempt").asText()).isEqualTo("2/2");
    assertThat(failed.at("/0/details/baton.retry").asText()).isEqualTo("exhausted");
    assertThat(failed.at("/1/details/baton.retry").asText()).isEqualTo("scheduled");
    assertThat(api.get("/api/tasks/retrying").json().get("pendingRetries").asInt()).isZero();

    Http.Response retried = api.post("/api/tasks/retrying/retry");
    assertThat(retried.status()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.get("/api/history?task=retrying&outcome=FAILED").json().get("executions").size()
                    == 3);
    assertThat(
            api.get("/api/history?task=retrying&outcome=FAILED")
                .json()
                .at("/executions/0/details/baton.attempt")
                .asText())
        .isEqualTo("manual");
    assertThat(api.post("/api/tasks/no-such-task/retry").status()).isEqualTo(404);
    assertThat(api.get("/metrics").body())
        .contains("baton_retries_scheduled_total")
        .contains("baton_retries_exhausted_total");

    expectField(
        "{\"type\":\"sleep\",\"intervalMs\":1000,\"retry\":{\"maxAttempts\":0}}",
        "retry.maxAttempts");
    expectField(
        "{\"type\":\"sleep\",\"intervalMs\":1000,\"retry\":{\"maxAttempts\":3,\"initialDelayMs\":5000,\"maxDelayMs\":10}}",
        "retry.maxDelayMs");
    expectField(
        "{\"type\":\"sleep\",\"intervalMs\":1000,\"retry\":{\"maxAttempts\":3,\"retryOn\":[\"no.Such\"]}}",
        "retry.retryOn");
    expectField(
        "{\"type\":\"sleep\",\"intervalMs\":1000,\"retry\":{\"maxAttempts\":3,\"tries\":2}}",
        "retry.tries");
    expectField("{\"type\":\"sleep\",\"intervalMs\":1000,\"retry\":5}", "retry");
    assertThat(api.get("/api/tasks/refused").status()).isEqualTo(404);
  }

  private void expectField(String body, String field) {
    Http.Response r = api.put("/api/tasks/refused", body);
    assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
    assertThat(r.json().get("field").asText()).as(body + " -> " + r.body()).isEqualTo(field);
    assertThat(r.json().get("error").asText()).isNotBlank();
  }
}
