package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.testing.JdbcUrls;
import dev.baton.testing.PluginJars;
import dev.baton.testing.PostgresDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL: a task created through node A's API runs on node B. A has one worker
 * thread, kept busy by a long sleep, so it cannot take the new task: any execution of it must be
 * B's, and B's own metrics must count it.
 */
class TwoNodePostgresTest {
  @Test
  void aTaskCreatedThroughOneNodeRunsOnTheOther() throws Exception {
    try (PostgresDatabase db = new PostgresDatabase();
        BatonNode a = TestNode.start(db, "node-a", 1)) {
      Http apiA = new Http(TestNode.base(a), TestNode.TOKEN);
      assertThat(
              apiA.put(
                      "/api/tasks/occupy-a",
                      "{\"type\":\"sleep\",\"at\":\"2099-01-01T00:00:00Z\",\"data\":{\"millis\":\"120000\"}}")
                  .status())
          .isEqualTo(201);
      apiA.post("/api/tasks/occupy-a/run");
      await("A busy")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  apiA.get("/api/tasks/occupy-a")
                      .json()
                      .get("runningOn")
                      .toString()
                      .contains("node-a"));

      try (BatonNode b = TestNode.start(db, "node-b", 2)) {
        Http apiB = new Http(TestNode.base(b), TestNode.TOKEN);
        assertThat(
                apiA.put(
                        "/api/tasks/spread",
                        "{\"type\":\"sleep\",\"intervalMs\":300,\"data\":{\"millis\":\"5\"}}")
                    .status())
            .isEqualTo(201);
        await("B runs the task created through A")
            .atMost(Duration.ofSeconds(30))
            .until(() -> executions(apiB, "spread") >= 3);
        assertThat(executions(apiA, "spread")).as("A had no free thread").isZero();
        assertThat(apiA.get("/api/nodes").json().get("nodes").findValuesAsText("nodeId"))
            .contains("node-a", "node-b");
      }
    }
  }

  @Test
  void aTaskNoLiveNodeCanRunIsFlaggedStuck(@TempDir Path plugins) throws Exception {
    PluginJars.recordingJob(plugins, "OnlyOnA");
    try (PostgresDatabase db = new PostgresDatabase();
        BatonNode b = TestNode.start(JdbcUrls.of(db), "postgres", "node-b", 1, null)) {
      Http apiB = new Http(TestNode.base(b), TestNode.TOKEN);
      try (BatonNode a = TestNode.start(JdbcUrls.of(db), "postgres", "node-a", 1, plugins)) {
        Http apiA = new Http(TestNode.base(a), TestNode.TOKEN);
        assertThat(
                apiB.put(
                        "/api/tasks/plugin-task",
                        "{\"jobClass\":\"plugin.OnlyOnA\",\"cron\":\"0 0 3 * * ?\"}")
                    .status())
            .as("B cannot load the class")
            .isEqualTo(400);
        assertThat(
                apiA.put(
                        "/api/tasks/plugin-task",
                        "{\"jobClass\":\"plugin.OnlyOnA\",\"cron\":\"0 0 3 * * ?\"}")
                    .status())
            .isEqualTo(201);
        await("B sees A can run it")
            .atMost(Duration.ofSeconds(30))
            .until(() -> !apiB.get("/api/tasks/plugin-task").json().get("stuck").asBoolean());
        assertThat(apiB.get("/api/tasks/plugin-task").json().get("runnableHere").asBoolean())
            .isFalse();
      }
      await("stuck once A left")
          .atMost(Duration.ofSeconds(30))
          .until(() -> apiB.get("/api/tasks/plugin-task").json().get("stuck").asBoolean());
      await("gauge")
          .atMost(Duration.ofSeconds(30))
          .until(() -> apiB.get("/metrics").body().contains("baton_tasks_stuck 1.0"));
    }
  }

  private static long executions(Http api, String task) {
    String metrics = api.get("/metrics").body();
    Matcher m =
        Pattern.compile(
                "baton_executions_total\\{outcome=\"success\",task=\"" + task + "\"} (\\d+)")
            .matcher(metrics);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
