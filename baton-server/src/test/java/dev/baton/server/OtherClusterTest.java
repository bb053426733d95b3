package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Baton;
import dev.baton.scheduling.Task;
import dev.baton.testing.H2Database;
import dev.baton.testing.JdbcUrls;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A node started with another cluster's name serves that cluster: how an operator puts the admin
 * API and dashboard beside a Spring Boot application's cluster ({@code quartzScheduler}).
 */
class OtherClusterTest {
  @Test
  void aNodeServesTheClusterItIsGivenAndNoOther() throws Exception {
    try (H2Database db = new H2Database()) {
      Task report =
          Task.named("report")
              .once(Instant.parse("2099-01-01T00:00:00Z"))
              .runs(FailingJob.class)
              .build();
      Baton app =
          Baton.builder(db.pool(4))
              .clusterName("quartzScheduler")
              .nodeId("app-node")
              .task(report)
              .start();
      Baton other =
          Baton.builder(db.pool(4))
              .nodeId("other-node")
              .task(
                  Task.named("elsewhere")
                      .once(Instant.parse("2099-01-01T00:00:00Z"))
                      .runs(FailingJob.class)
                      .build())
              .start();
      BatonNode dashboard =
          BatonNode.start(
              new NodeConfig(
                  JdbcUrls.of(db),
                  JdbcUrls.user(db),
                  null,
                  "dashboard",
                  "127.0.0.1",
                  0,
                  null,
                  1,
                  Files.createTempDirectory("baton-node"),
                  Duration.ofSeconds(2),
                  TestNode.TOKEN,
                  "quartzScheduler",
                  "QRTZ_"));
      try {
        Http api = new Http(TestNode.base(dashboard), TestNode.TOKEN);
        assertThat(api.get("/api/tasks").json().get("tasks").findValuesAsText("name"))
            .contains("report")
            .doesNotContain("elsewhere");
        assertThat(api.get("/api/nodes").json().get("nodes").findValuesAsText("nodeId"))
            .contains("app-node", "dashboard")
            .doesNotContain("other-node");
      } finally {
        dashboard.close();
        other.close();
        app.close();
      }
    }
  }
}
