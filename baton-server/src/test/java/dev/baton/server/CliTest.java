package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.server.api.Json;
import dev.baton.testing.H2Database;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/** The CLI against a live node: tables, --json, exit codes and the API's error messages. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliTest {
  private H2Database db;
  private BatonNode node;
  private String url;

  /** What one command printed and returned. */
  record Result(int code, String out, String err) {}

  @BeforeAll
  void start() throws Exception {
    db = new H2Database();
    node = TestNode.start(db, "cli-node", 2);
    url = TestNode.base(node);
    Http api = new Http(url, TestNode.TOKEN);
    assertThat(
            api.put(
                    "/api/tasks/nightly",
                    "{\"type\":\"sleep\",\"cron\":\"0 0 3 * * ?\",\"timeZone\":\"UTC\"}")
                .status())
        .isEqualTo(201);
    assertThat(
            api.put(
                    "/api/tasks/z-long-task-name",
                    "{\"type\":\"sleep-exclusive\",\"at\":\"2099-01-01T00:00:00Z\"}")
                .status())
        .isEqualTo(201);
  }

  @AfterAll
  void stop() {
    node.close();
    db.close();
  }

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void tasksPrintsAnAlignedTable() {
    Result r = run("tasks", "--url", url, "--token", TestNode.TOKEN);
    assertThat(r.code()).as(r.err()).isZero();
    String[] lines = r.out().split("\n");
    assertThat(lines[0]).startsWith("NAME").contains("STATE").contains("NEXT FIRE");
    int stateColumn = lines[0].indexOf("STATE");
    String nightly =
        java.util.Arrays.stream(lines)
            .filter(l -> l.startsWith("nightly "))
            .findFirst()
            .orElseThrow();
    String other =
        java.util.Arrays.stream(lines)
            .filter(l -> l.startsWith("z-long-task-name"))
            .findFirst()
            .orElseThrow();
    assertThat(nightly.substring(stateColumn)).startsWith("WAITING");
    assertThat(other.substring(stateColumn)).startsWith("WAITING");
    assertThat(nightly).contains("cron:0 0 3 * * ? @UTC").contains("sleep");
  }

  @Test
  void localClusterSaysWhichJarRunsIt() {
    Result r = run("local-cluster", "--nodes", "2");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("java -jar baton-local-cluster/target/baton-local-cluster.jar --nodes 2");
    assertThat(run("--help").out()).doesNotContain("local-cluster");
  }

  @Test
  void jsonIsTheApiAnswer() throws Exception {
    Result r = run("tasks", "--json", "--url", url, "--token", TestNode.TOKEN);
    assertThat(r.code()).isZero();
    JsonNode json = Json.MAPPER.readTree(r.out());
    assertThat(json.get("tasks").findValuesAsText("name")).contains("nightly", "z-long-task-name");
    Result nodes = run("nodes", "--json", "--url", url, "--token", TestNode.TOKEN);
    assertThat(Json.MAPPER.readTree(nodes.out()).get("nodes").findValuesAsText("nodeId"))
        .contains("cli-node");
  }

  @Test
  void nodesTableShowsTheMember() {
    Result r = run("nodes", "--url", url, "--token", TestNode.TOKEN);
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("NODE").contains("cli-node");
  }

  @Test
  void pauseResumeRunAndResetChangeTheTask() {
    Result paused = run("pause", "nightly", "--url", url, "--token", TestNode.TOKEN);
    assertThat(paused.code()).as(paused.err()).isZero();
    assertThat(paused.out()).contains("Task nightly paused (state PAUSED)");
    assertThat(new Http(url, TestNode.TOKEN).get("/api/tasks/nightly").json().get("state").asText())
        .isEqualTo("PAUSED");
    Result resumed = run("resume", "nightly", "--url", url, "--token", TestNode.TOKEN);
    assertThat(resumed.out()).contains("Task nightly resumed (state WAITING)");
    assertThat(run("run", "nightly", "--url", url, "--token", TestNode.TOKEN).out())
        .contains("Task nightly triggered");
    Result reset = run("reset-errored", "--url", url, "--token", TestNode.TOKEN);
    assertThat(reset.code()).isZero();
    assertThat(reset.out()).contains("Reset 0 trigger(s) in ERROR");
  }

  @Test
  void aTerminalFailureShowsInTheHistoryAndRetryRunsItOnceMore() {
    Http api = new Http(url, TestNode.TOKEN);
    String body =
        "{\"jobClass\":\""
            + FailingJob.class.getName()
            + "\",\"at\":\"2099-01-01T00:00:00Z\","
            + "\"retry\":{\"maxAttempts\":1}}";
    assertThat(api.put("/api/tasks/cli-retry", body).status()).isEqualTo(201);
    api.post("/api/tasks/cli-retry/run");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.get("/api/history?task=cli-retry&outcome=FAILED")
                        .json()
                        .get("executions")
                        .size()
                    == 1);
    Result history = run("history", "--task", "cli-retry", "--url", url, "--token", TestNode.TOKEN);
    assertThat(history.out()).contains("ATTEMPT").contains("1/1").contains("TERMINAL: exhausted");

    Result retried = run("retry", "cli-retry", "--url", url, "--token", TestNode.TOKEN);
    assertThat(retried.code()).as(retried.err()).isZero();
    assertThat(retried.out()).contains("Task cli-retry retried");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.get("/api/history?task=cli-retry&outcome=FAILED")
                        .json()
                        .get("executions")
                        .size()
                    == 2);
    assertThat(run("history", "--task", "cli-retry", "--url", url, "--token", TestNode.TOKEN).out())
        .contains("manual");
  }

  @Test
  void aLimitedTaskShowsRunningOverItsLimit() {
    Http api = new Http(url, TestNode.TOKEN);
    assertThat(
            api.put(
                    "/api/tasks/cli-limited",
                    "{\"type\":\"sleep\",\"at\":\"2099-01-01T00:00:00Z\",\"maxConcurrent\":2}")
                .status())
        .isEqualTo(201);
    String line =
        java.util.Arrays.stream(
                run("tasks", "--url", url, "--token", TestNode.TOKEN).out().split("\n"))
            .filter(l -> l.startsWith("cli-limited "))
            .findFirst()
            .orElseThrow();
    assertThat(line).contains("0/2");
  }

  @Test
  void aLimitedTaskShowsItsRunningExecutionsOverItsLimitWhileTheyRun() {
    Http api = new Http(url, TestNode.TOKEN);
    assertThat(
            api.put(
                    "/api/tasks/cli-limited-busy",
                    "{\"type\":\"sleep\",\"at\":\"2099-01-01T00:00:00Z\",\"maxConcurrent\":2,\"data\":{\"millis\":\"8000\"}}")
                .status())
        .isEqualTo(201);
    assertThat(run("run", "cli-limited-busy", "--url", url, "--token", TestNode.TOKEN).code())
        .isZero();

    await()
        .atMost(Duration.ofSeconds(7))
        .untilAsserted(
            () -> {
              String line =
                  java.util.Arrays.stream(
                          run("tasks", "--url", url, "--token", TestNode.TOKEN).out().split("\n"))
                      .filter(l -> l.startsWith("cli-limited-busy "))
                      .findFirst()
                      .orElseThrow();
              assertThat(line).contains("1/2 cli-node");
            });
  }

  @Test
  void taskShowPrintsTheTaskPageAsText() throws Exception {
    Http api = new Http(url, TestNode.TOKEN);
    assertThat(
            api.put(
                    "/api/tasks/cli-show",
                    "{\"type\":\"sleep\",\"cron\":\"0 15 4 * * ?\",\"timeZone\":\"UTC\","
                        + "\"maxConcurrent\":3,\"retry\":{\"maxAttempts\":2}}")
                .status())
        .isEqualTo(201);
    api.post("/api/tasks/cli-show/run");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.get("/api/history?task=cli-show&outcome=SUCCEEDED")
                        .json()
                        .get("executions")
                        .size()
                    == 1);

    Result r =
        run("task", "show", "cli-show", "--next", "3", "--url", url, "--token", TestNode.TOKEN);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("Task cli-show (WAITING)")
        .contains("schedule:        cron:0 15 4 * * ? @UTC")
        .contains("running now:     nowhere")
        .contains("0 running of at most 3")
        .contains("\"maxAttempts\":2")
        .contains("STARTED")
        .contains("SUCCEEDED");
    String times =
        java.util.Arrays.stream(r.out().split("\n"))
            .filter(l -> l.contains("next fire times:"))
            .findFirst()
            .orElseThrow();
    assertThat(times.split(", ")).hasSize(3);
    assertThat(times).contains("T04:15:00Z");

    Result json =
        run("task", "show", "cli-show", "--json", "--url", url, "--token", TestNode.TOKEN);
    JsonNode body = Json.MAPPER.readTree(json.out());
    assertThat(body.at("/task/name").asText()).isEqualTo("cli-show");
    assertThat(body.at("/next/nextFireTimes")).hasSize(5);
    assertThat(body.at("/history/executions/0/outcome").asText()).isEqualTo("SUCCEEDED");

    Result missing = run("task", "show", "no-such-task", "--url", url, "--token", TestNode.TOKEN);
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("HTTP 404").contains("No task named 'no-such-task'");
    Result badCount =
        run("task", "show", "cli-show", "--next", "0", "--url", url, "--token", TestNode.TOKEN);
    assertThat(badCount.code()).isEqualTo(1);
    assertThat(badCount.err()).contains("HTTP 400").contains("count must be 1 to 100; got 0");
    assertThat(run("task", "--url", url).code()).isEqualTo(2);
  }

  @Test
  void nodesShowsANodeThatLeftWithItsTime() throws Exception {
    BatonNode other = TestNode.start(db, "cli-leaver", 1);
    other.close();

    Result r = run("nodes", "--url", url, "--token", TestNode.TOKEN);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("NODE").contains("Departed in the last 86400 s:");
    String line =
        java.util.Arrays.stream(r.out().split("\n"))
            .filter(l -> l.startsWith("cli-leaver "))
            .findFirst()
            .orElseThrow();
    assertThat(line)
        .contains("left cleanly")
        .contains(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
  }

  @Test
  void errorsExitNonZeroWithTheApiMessage() {
    Result unknown = run("run", "no-such-task", "--url", url, "--token", TestNode.TOKEN);
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("HTTP 404").contains("No task named 'no-such-task'");
    Result wrongToken = run("tasks", "--url", url, "--token", "definitely-not-the-token");
    assertThat(wrongToken.code()).isEqualTo(1);
    assertThat(wrongToken.err()).contains("HTTP 401").contains("wrong token");
    Result unreachable = run("tasks", "--url", "http://127.0.0.1:1", "--token", TestNode.TOKEN);
    assertThat(unreachable.code()).isEqualTo(1);
    assertThat(unreachable.err()).contains("cannot reach http://127.0.0.1:1");
  }

  @Test
  void historyAndLocksPrintTables() throws Exception {
    Http api = new Http(url, TestNode.TOKEN);
    assertThat(
            api.put(
                    "/api/tasks/cli-history",
                    "{\"type\":\"sleep\",\"at\":\"2099-01-01T00:00:00Z\"}")
                .status())
        .isEqualTo(201);
    api.post("/api/tasks/cli-history/run");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.get("/api/history?task=cli-history&outcome=SUCCEEDED")
                        .json()
                        .get("executions")
                        .size()
                    == 1);
    Result history =
        run(
            "history",
            "--task",
            "cli-history",
            "--outcome",
            "SUCCEEDED",
            "--url",
            url,
            "--token",
            TestNode.TOKEN);
    assertThat(history.code()).as(history.err()).isZero();
    String[] lines = history.out().split("\n");
    assertThat(lines[0]).startsWith("TASK").contains("OUTCOME");
    assertThat(lines).hasSize(2);
    assertThat(lines[1]).startsWith("cli-history").contains("cli-node").contains("SUCCEEDED");
    Result none =
        run(
            "history",
            "--task",
            "cli-history",
            "--outcome",
            "FAILED",
            "--json",
            "--url",
            url,
            "--token",
            TestNode.TOKEN);
    assertThat(Json.MAPPER.readTree(none.out()).get("executions")).isEmpty();
    Result bad = run("history", "--outcome", "MAYBE", "--url", url, "--token", TestNode.TOKEN);
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("HTTP 400").contains("unknown outcome 'MAYBE'");

    var lock = node.baton().locks().tryAcquire("cli-lock", Duration.ofMinutes(1)).orElseThrow();
    try {
      Result locks = run("locks", "--url", url, "--token", TestNode.TOKEN);
      assertThat(locks.code()).as(locks.err()).isZero();
      assertThat(locks.out())
          .startsWith("LOCK")
          .contains("cli-lock")
          .contains("cli-node")
          .contains(Long.toString(lock.fencingToken()));
    } finally {
      lock.release();
    }
  }

  @Test
  void badFlagsAreNamedAndExitNonZero() {
    Result port = run("serve", "--port", "eighty");
    assertThat(port.code()).isEqualTo(2);
    assertThat(port.err()).contains("--port").contains("eighty");
    Result range = run("serve", "--port", "70000");
    assertThat(range.code()).isEqualTo(2);
    assertThat(range.err()).contains("'--port'").contains("70000");
    Result threads = run("serve", "--threads", "0");
    assertThat(threads.code()).isEqualTo(2);
    assertThat(threads.err()).contains("'--threads'").contains("'0'");
    Result db = run("serve", "--db", "postgres://nope");
    assertThat(db.code()).isEqualTo(2);
    assertThat(db.err()).contains("'--db'");
    Result plugins = run("serve", "--plugins", "/no/such/dir");
    assertThat(plugins.code()).isEqualTo(2);
    assertThat(plugins.err()).contains("'--plugins'").contains("/no/such/dir");
    Result unknown = run("tasks", "--colour");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("--colour");
    Result url = run("tasks", "--url", "ftp://x");
    assertThat(url.code()).isEqualTo(2);
    assertThat(url.err()).contains("'--url'");
    assertThat(run().code()).isEqualTo(2);
  }
}
