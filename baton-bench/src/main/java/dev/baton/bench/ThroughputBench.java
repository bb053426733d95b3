package dev.baton.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Drains {@code jobs} one-off no-op jobs, all due now and stored before any node starts, with each
 * node count per contender (up to the contender's {@link SchedulerContender#maxNodes()}), each run
 * on a fresh database of one server. Nodes run in this JVM, each with its own pool and 10 worker
 * threads. Rate = executions per second from the first execution's start to the last one's; every
 * job must run exactly once. On PostgreSQL each run is profiled with {@link StatementProfile}.
 */
final class ThroughputBench {
  private static final long TIMEOUT_SECONDS = 900;

  /** One contender-run. */
  record Result(
      String name,
      int nodes,
      int jobs,
      long executions,
      long duplicates,
      double perSecond,
      double seconds,
      double setupSeconds,
      StatementProfile.Profile profile) {}

  private final BenchDatabase server;
  private final int jobs;

  ThroughputBench(BenchDatabase server, int jobs) {
    this.server = server;
    this.jobs = jobs;
  }

  List<Result> run(List<SchedulerContender> contenders, int... nodeCounts) throws Exception {
    List<Result> results = new ArrayList<>();
    for (int nodes : nodeCounts) {
      for (SchedulerContender c : contenders) {
        if (nodes > c.maxNodes()) continue;
        Result r = drain(c, nodes);
        System.out.printf(
            Locale.ROOT,
            "%-40s %d node(s): %,8.0f jobs/s (%,d executions, %d duplicates,"
                + " %.1f s; setup %.1f s)%n",
            r.name(),
            r.nodes(),
            r.perSecond(),
            r.executions(),
            r.duplicates(),
            r.seconds(),
            r.setupSeconds());
        results.add(r);
      }
    }
    return results;
  }

  Result drain(SchedulerContender c, int nodeCount) throws Exception {
    String url = server.freshDatabase(c.name());
    long setupStart = System.nanoTime();
    DataSource setup = server.pool(url, 2);
    c.createSchema(setup);
    c.scheduleOneOffJobs(setup, jobs);
    // Statistics as autovacuum would have them a minute after a bulk insert, for every contender:
    // without them PostgreSQL may plan primary-key lookups as scans of a whole group.
    BenchDatabase.analyze(setup);
    double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
    StatementProfile.reset(server, url);
    Executions run = Executions.begin(jobs);
    List<CompletableFuture<AutoCloseable>> starting = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      DataSource ds = server.pool(url, c.poolSize());
      String nodeId = "node-" + (i + 1);
      starting.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return c.startNode(ds, nodeId);
                } catch (Exception e) {
                  throw new IllegalStateException(c.name() + " " + nodeId + " did not start", e);
                }
              }));
    }
    List<AutoCloseable> nodes = new ArrayList<>();
    for (CompletableFuture<AutoCloseable> f : starting) nodes.add(f.join());
    long start = System.nanoTime();
    boolean all = run.awaitAll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    // Late duplicates would show up shortly after the last first execution.
    Thread.sleep(1000);
    List<CompletableFuture<Void>> stopping = new ArrayList<>();
    for (AutoCloseable n : nodes) {
      stopping.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  n.close();
                } catch (Exception e) {
                  System.err.println(c.name() + ": node did not stop cleanly: " + e);
                }
              }));
    }
    stopping.forEach(CompletableFuture::join);
    StatementProfile.Profile profile =
        StatementProfile.measure(server, url, c.name(), nodeCount, jobs);
    server.closePools();
    if (!all) {
      System.err.printf(
          "%s: %d of %d jobs never ran within %d s%n",
          c.name(), run.distinctRemaining(), jobs, TIMEOUT_SECONDS);
    }
    return new Result(
        c.name(),
        nodeCount,
        jobs,
        run.executions(),
        run.duplicates(),
        run.perSecond(),
        seconds,
        setupSeconds,
        profile);
  }
}
