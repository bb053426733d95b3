package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a node process lets the running execution finish, then exits 0. */
class DrainOnSigtermTest {
  @TempDir Path dataDir;

  @Test
  void sigtermDrainsTheRunningSleepAndExitsZero() throws Exception {
    try (NodeProcess node =
        NodeProcess.serve(TestNode.TOKEN, "--data-dir", dataDir.toString(), "--threads", "2")) {
      Http api = new Http("http://127.0.0.1:" + node.port(), TestNode.TOKEN);
      assertThat(
              api.put(
                      "/api/tasks/drain-me",
                      "{\"type\":\"sleep\",\"at\":\"2099-01-01T00:00:00Z\",\"data\":{\"millis\":\"3000\"}}")
                  .status())
          .isEqualTo(201);
      assertThat(api.post("/api/tasks/drain-me/run").status()).isEqualTo(202);
      await("execution running")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  api.get("/api/tasks/drain-me")
                      .json()
                      .get("runningOn")
                      .toString()
                      .contains(node.nodeId()));
      assertThat(node.output()).doesNotContain("Task drain-me slept");

      // SIGTERM through the handle: Process.destroy() would also close our end of its output.
      assertThat(node.process().toHandle().destroy()).isTrue();
      assertThat(node.process().waitFor(60, TimeUnit.SECONDS)).as("node exited").isTrue();
      assertThat(node.process().exitValue()).as(node.output()).isZero();
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(node.output())
                      .contains("Task drain-me slept 3000 ms")
                      .contains("Baton node " + node.nodeId() + " stopped"));
      // Drain's warning is "drain timeout of N ms passed"; an ERROR would be a failed stop step
      // (handing back unrun firings, leaving the cluster).
      assertThat(node.output())
          .doesNotContain("drain timeout")
          .doesNotContain(" ERROR ")
          .doesNotContain(TestNode.TOKEN);
    }
  }
}
