package dev.baton.server.cluster;

import dev.baton.server.AdminToken;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code baton local-cluster}: a real PostgreSQL (from the zonky Maven Central binaries bundled in
 * the jar), three node processes of this same jar on ports 8640–8642, and a sample workload, so a
 * newcomer can watch work spread and kill a node. Ctrl-C stops everything.
 */
@Command(name = "local-cluster", description = "Start PostgreSQL and three nodes locally, with a sample workload.", mixinStandardHelpOptions = true)
public final class LocalClusterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--base-port", defaultValue = "8640", description = "Port of the first node; the others follow (default 8640)")
  int basePort;

  @Option(names = "--nodes", defaultValue = "3", description = "How many nodes (default 3)")
  int nodeCount;

  private final List<Process> nodes = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (nodeCount < 1 || nodeCount > 9) {
      spec.commandLine().getErr().println("Invalid value '" + nodeCount + "' for option '--nodes': give 1 to 9");
      return 2;
    }
    if (basePort < 1 || basePort + nodeCount > 65535) {
      spec.commandLine().getErr().println("Invalid value '" + basePort + "' for option '--base-port': give 1 to " + (65535 - nodeCount));
      return 2;
    }
    Path work = Files.createTempDirectory("baton-local-cluster");
    out.println("Starting PostgreSQL (embedded binaries) ...");
    out.flush();
    EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "100").start();
    String token = AdminToken.generate();
    String db = postgres.getJdbcUrl("postgres", "postgres");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopAll(postgres);
      stopped.countDown();
    }, "baton-local-cluster-stop"));

    List<CountDownLatch> ready = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      int port = basePort + i;
      String id = "node-" + (i + 1);
      ProcessBuilder pb = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"),
          "dev.baton.server.Main", "serve", "--db", db, "--db-user", "postgres",
          "--node-id", id, "--port", String.valueOf(port), "--data-dir", work.resolve(id).toString());
      pb.environment().put("BATON_ADMIN_TOKEN", token);
      pb.redirectErrorStream(true);
      Process p = pb.start();
      nodes.add(p);
      CountDownLatch up = new CountDownLatch(1);
      ready.add(up);
      relay(p, id, up, out);
      if (i == 0 && !up.await(120, TimeUnit.SECONDS)) {
        // The first node creates the schema; the others start after it to keep the output calm.
        throw new IllegalStateException(id + " did not start within 120 s");
      }
    }
    for (int i = 0; i < nodeCount; i++) {
      if (!ready.get(i).await(120, TimeUnit.SECONDS)) throw new IllegalStateException("node-" + (i + 1) + " did not start");
    }
    SampleWorkload.create("http://127.0.0.1:" + basePort, token);
    out.println();
    out.println("Local cluster is up: " + nodeCount + " nodes on PostgreSQL " + db);
    for (int i = 0; i < nodeCount; i++) {
      out.printf("  node-%d dashboard: http://127.0.0.1:%d/?token=%s%n", i + 1, basePort + i, token);
    }
    out.println("  CLI: BATON_ADMIN_TOKEN=" + token + " java -jar baton-server/target/baton.jar tasks");
    out.println("Kill a node (kill <pid>) and watch its work move; Ctrl-C stops everything.");
    for (int i = 0; i < nodeCount; i++) out.printf("  node-%d pid %d%n", i + 1, nodes.get(i).pid());
    out.flush();
    stopped.await();
    return 0;
  }

  private static void relay(Process p, String id, CountDownLatch ready, PrintWriter out) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith("Baton node ") && line.contains(" listening on ")) ready.countDown();
          if (line.startsWith("Admin token")) continue;
          synchronized (out) {
            out.println("[" + id + "] " + line);
            out.flush();
          }
        }
      } catch (IOException ignored) {
        // The node exited.
      }
    }, "relay-" + id);
    t.setDaemon(true);
    t.start();
  }

  private void stopAll(EmbeddedPostgres postgres) {
    nodes.forEach(Process::destroy);
    for (Process p : nodes) {
      try {
        if (!p.waitFor(40, TimeUnit.SECONDS)) p.destroyForcibly();
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
    try {
      postgres.close();
    } catch (IOException ignored) {
      // Exiting anyway.
    }
  }

  /** The sample tasks, created through the first node's API. */
  static final class SampleWorkload {
    private SampleWorkload() {}

    static void create(String base, String token) throws IOException, InterruptedException {
      HttpClient http = HttpClient.newHttpClient();
      String[][] tasks = {
        {"heartbeat", "{\"type\":\"sleep\",\"intervalMs\":1000,\"data\":{\"millis\":\"200\"}}"},
        {"report", "{\"type\":\"sleep\",\"cron\":\"0/5 * * * * ?\",\"data\":{\"millis\":\"1500\"},\"lock\":\"reports\"}"},
        {"batch", "{\"type\":\"sleep-exclusive\",\"intervalMs\":2000,\"data\":{\"millis\":\"3000\"},\"recover\":true}"},
        {"burst", "{\"type\":\"sleep\",\"intervalMs\":300,\"data\":{\"millis\":\"100\"}}"},
      };
      for (String[] t : tasks) {
        HttpRequest put = HttpRequest.newBuilder(URI.create(base + "/api/tasks/" + t[0]))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(t[1]))
            .build();
        HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) throw new IOException("creating sample task " + t[0] + " failed: " + r.body());
      }
    }
  }
}
