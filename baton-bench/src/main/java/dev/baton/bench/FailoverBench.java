package dev.baton.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Failover: node A (a child JVM) runs a recoverable long job; node B (another child JVM) has joined
 * and checked in; A is killed with SIGKILL ({@code destroyForcibly}); the time from the kill to B
 * printing that the re-run started. Each library with its defaults, on a fresh database per try.
 */
final class FailoverBench {
  private static final long STEP_TIMEOUT_SECONDS = 90;

  /** Time B gets after it is ready, so that it has checked in before A dies. */
  private static final long SETTLE_MILLIS = 3_000;

  /** Failover times of one library, in milliseconds. */
  record Result(String name, String detection, List<Double> millis) {}

  private final PgServer server;
  private final int repeats;

  FailoverBench(PgServer server, int repeats) {
    this.server = server;
    this.repeats = repeats;
  }

  List<Result> run() throws Exception {
    List<Result> results = new ArrayList<>();
    results.add(measure("baton", BatonContender.defaults(), "check-in 1 s, grace 2 s"));
    results.add(
        measure("quartz", new StockQuartzContender(), "check-in 7.5 s, grace 7.5 s (hard-coded)"));
    return results;
  }

  private Result measure(String kind, SchedulerContender c, String detection) throws Exception {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < repeats; i++) {
      String url = server.freshDatabase("failover_" + kind);
      c.createSchema(server.pool(url, 2));
      server.closePools();
      Child a = new Child(kind, url, "node-a", "schedule");
      Child b = null;
      try {
        a.await("STARTED node-a");
        b = new Child(kind, url, "node-b", "join");
        b.await("READY node-b");
        Thread.sleep(SETTLE_MILLIS);
        long killed = System.nanoTime();
        a.process.destroyForcibly().waitFor();
        b.await("STARTED node-b recovering=true");
        double ms = (System.nanoTime() - killed) / 1e6;
        System.out.printf(Locale.ROOT, "%s failover %d: %.0f ms%n", c.name(), i + 1, ms);
        times.add(ms);
      } finally {
        a.process.destroyForcibly().waitFor();
        if (b != null) b.process.destroyForcibly().waitFor();
      }
    }
    return new Result(c.name(), detection, times);
  }

  /** A child JVM running {@link FailoverNode}, its stdout lines queued as they arrive. */
  private static final class Child {
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Child(String kind, String url, String nodeId, String role) throws Exception {
      String jar =
          Path.of(FailoverBench.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      process =
          new ProcessBuilder(
                  java,
                  "-Xmx256m",
                  "-cp",
                  jar,
                  FailoverNode.class.getName(),
                  kind,
                  url,
                  nodeId,
                  role)
              .redirectErrorStream(true)
              .start();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) lines.add(line);
                } catch (Exception ignored) {
                  // the child was killed
                }
              },
              "child-" + nodeId);
      reader.setDaemon(true);
      reader.start();
    }

    void await(String prefix) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_SECONDS);
      while (System.nanoTime() < deadline) {
        String line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line != null && line.startsWith(prefix)) return;
        if (line != null && (line.contains("ERROR") || line.contains("Exception")))
          System.err.println("  child: " + line);
      }
      throw new IllegalStateException(
          "no '" + prefix + "' from child within " + STEP_TIMEOUT_SECONDS + " s");
    }
  }
}
