package dev.baton.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.testing.SkipNotice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The local cluster as a newcomer runs it: the packaged jar, three nodes (on any free ports here).
 * Its non-concurrent {@code batch} task starts every run on time, and SIGINT (what Ctrl-C sends)
 * drains every node and stops PostgreSQL within the drain timeout and a few seconds, exit code 0.
 * About 20 s on a 2-core machine, most of it the start of PostgreSQL and three JVMs; it runs in
 * {@code mvn verify} (failsafe, after {@code package}).
 */
class LocalClusterIT {
  private static final int DRAIN_SECONDS = 10;

  /** The drain timeout, and room for the JVMs' exit and PostgreSQL's fast shutdown. */
  private static final Duration STOP_BOUND = Duration.ofSeconds(DRAIN_SECONDS + 5);

  /** Later than this and the task is falling behind, not merely scheduled on a busy machine. */
  private static final Duration ON_TIME = Duration.ofMillis(1500);

  private static final Pattern DASHBOARD =
      Pattern.compile("^  node-1 dashboard: (http://127\\.0\\.0\\.1:\\d+)/\\?token=(\\S+)$");
  private static final Pattern DATABASE =
      Pattern.compile("on PostgreSQL jdbc:postgresql://localhost:(\\d+)/");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void keepsItsScheduleAndStopsOnSigintWithinTheDrainTimeout() throws Exception {
    Path jar =
        Path.of(System.getProperty("baton.local-cluster.jar", "target/baton-local-cluster.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run the package phase first");
    }
    try (LauncherProcess cluster =
        LauncherProcess.start(
            jar, "--base-port", "0", "--drain-timeout", String.valueOf(DRAIN_SECONDS))) {
      if (cluster.ignoresSigint()) {
        String notice =
            "LocalClusterIT skipped: this build inherited an ignored SIGINT (started in"
                + " the background by a shell?), so no Ctrl-C can reach the local cluster";
        SkipNotice.print(notice);
        Assumptions.abort(notice);
      }
      await("local cluster up")
          .atMost(Duration.ofSeconds(180))
          .until(
              () ->
                  cluster.output().contains("Local cluster is up") || !cluster.process().isAlive());
      assertThat(cluster.process().isAlive()).as(cluster.output()).isTrue();
      Matcher dashboard = cluster.line(DASHBOARD).orElseThrow();
      String api = dashboard.group(1);
      String token = dashboard.group(2);
      int postgresPort = Integer.parseInt(cluster.line(DATABASE).orElseThrow().group(1));
      List<Long> nodePids = cluster.nodePids();
      assertThat(nodePids).hasSize(3);

      // With runs longer than its interval, each run started later than the one before.
      List<JsonNode> runs = new ArrayList<>();
      await("three runs of batch")
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                runs.clear();
                runs.addAll(batchRuns(api, token));
                return runs.size() >= 3;
              });
      for (JsonNode run : runs) {
        Duration late =
            Duration.between(
                Instant.parse(run.get("scheduledFireTime").asText()),
                Instant.parse(run.get("startedAt").asText()));
        assertThat(late).as("lateness of batch run %s", run).isLessThan(ON_TIME);
      }

      Instant signalled = Instant.now();
      cluster.signal("INT");
      boolean exited = cluster.process().waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      Duration took = Duration.between(signalled, Instant.now());
      assertThat(exited).as("stopped within %s:%n%s", STOP_BOUND, cluster.output()).isTrue();
      System.out.printf("local cluster stopped %d ms after SIGINT%n", took.toMillis());
      assertThat(cluster.process().exitValue()).as(cluster.output()).isZero();
      assertThat(cluster.output())
          .contains(
              "Baton node node-1 stopped",
              "Baton node node-2 stopped",
              "Baton node node-3 stopped",
              "Local cluster stopped")
          .doesNotContain("drain timeout", " ERROR ", "killing it");
      for (long pid : nodePids) {
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
            .as("node pid %d", pid)
            .isEmpty();
      }
      assertThat(accepts(postgresPort)).as("PostgreSQL still listening").isFalse();
    }
  }

  /** The history's executions of {@code batch} that have started, through node-1's API. */
  private static List<JsonNode> batchRuns(String api, String token)
      throws IOException, InterruptedException {
    HttpRequest get =
        HttpRequest.newBuilder(URI.create(api + "/api/history?task=batch&limit=50"))
            .header("Authorization", "Bearer " + token)
            .build();
    HttpResponse<String> r =
        HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<JsonNode> runs = new ArrayList<>();
    JSON.readTree(r.body()).get("executions").forEach(runs::add);
    return runs;
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("localhost", port), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
