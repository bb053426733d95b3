package dev.baton.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Writes the scheduler benchmarks into their own marked sections of {@code docs/benchmarks.md}
 * (throughput, lateness, failover), each with the machine, versions, command and load average.
 */
final class SchedulerReport {
  private static final String BUILD = "mvn -B -q -pl baton-bench -am -DskipTests package";

  private final Path out;
  private final String args;
  private final String loadAtStart = loadAverage();
  private String machine;

  SchedulerReport(Path out, String args) {
    this.out = out;
    this.args = args;
  }

  void machine(String pgVersion) {
    machine = "Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs (" + Report.cpuModel() + "), "
        + Report.memory() + " RAM, Java " + System.getProperty("java.version") + ", embedded PostgreSQL "
        + pgVersion + " (zonky 2.2.2, fsync and synchronous_commit off) on the same machine, one server,"
        + " a fresh database per contender-run. Libraries: Quartz 2.5.2, db-scheduler 16.7.1, HikariCP 7.0.2,"
        + " PostgreSQL JDBC 42.7.13.";
  }

  void throughput(List<ThroughputBench.Result> results) throws IOException {
    StringBuilder md = header("Scheduler throughput");
    ThroughputBench.Result first = results.get(0);
    md.append(String.format(Locale.ROOT, "%,d one-off no-op jobs, all due now, stored before the nodes start"
        + " (setup not timed), drained by 1 and by 2 nodes of 10 worker threads each, in one JVM, each node"
        + " with its own pool. Rate = executions per second from the first execution to the last.%n%n",
        first.jobs()));
    md.append("| contender | nodes | jobs/s | Baton ÷ this | executions | duplicates | drain time |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (ThroughputBench.Result r : results) {
      double baton = results.stream().filter(x -> x.nodes() == r.nodes()).findFirst().orElseThrow().perSecond();
      md.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %.2f | %,d | %d | %.1f s |%n", r.name(),
          r.nodes(), r.perSecond(), baton / r.perSecond(), r.executions(), r.duplicates(), r.seconds()));
    }
    md.append("\nBaton ÷ this compares with the first contender (Baton with its defaults) at the same node"
        + " count, measured in the same run. Stock Quartz: `JobStoreTX`, `isClustered=true`,"
        + " `PostgreSQLDelegate`, 10 threads, everything else Quartz's default (batch size 1, acquisition"
        + " outside the lock). db-scheduler: `Scheduler.create(ds, task).threads(10)`, default polling"
        + " (fetch-and-lock-on-execute) or `pollUsingLockAndFetch(0.5, 1.0)`. Jobs were stored through each"
        + " library's API: Quartz's `scheduleJobs` (a transaction per 2,000 jobs) for Baton and Quartz, db-scheduler's"
        + " `scheduleBatch`, then `ANALYZE` for every contender (statistics as autovacuum would have"
        + " them shortly after a bulk insert). Duplicates = executions of a job beyond its first.\n");
    write("throughput", md);
  }

  void lateness(List<LatenessBench.Result> results) throws IOException {
    StringBuilder md = header("Firing lateness");
    LatenessBench.Result r0 = results.get(0);
    md.append(String.format(Locale.ROOT, "%d nodes in one JVM (each with its own pool, defaults otherwise),"
        + " %d recurring no-op tasks every 1–5 s (interval triggers), %d s measured after a 10 s warm-up."
        + " Lateness = job start − scheduled fire time (`context.getScheduledFireTime()`), in ms.%n%n",
        LatenessBench.NODES, r0.tasks(), r0.seconds()));
    md.append("| contender | executions | p50 | p99 | max | p99: this ÷ Baton |\n|---|---|---|---|---|---|\n");
    for (LatenessBench.Result r : results) {
      md.append(String.format(Locale.ROOT, "| %s | %,d | %.0f ms | %.0f ms | %.0f ms | %.1f |%n", r.name(),
          r.executions(), r.p50(), r.p99(), r.max(), r.p99() / Math.max(1, r0.p99())));
    }
    write("lateness", md);
  }

  void failover(List<FailoverBench.Result> results) throws IOException {
    StringBuilder md = header("Failover");
    md.append("Node A (its own JVM) runs a recoverable job; node B (another JVM) has joined and waited 3 s;"
        + " A is killed with SIGKILL (`Process.destroyForcibly()`); time from the kill until B starts the"
        + " re-run (`context.isRecovering()`), as B prints it. Defaults of each library.\n\n");
    md.append("| contender | failure detection | runs | p50 | max | p50: this ÷ Baton |\n|---|---|---|---|---|---|\n");
    double batonP50 = percentile(results.get(0).millis(), 50);
    for (FailoverBench.Result r : results) {
      double p50 = percentile(r.millis(), 50);
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f s | %.1f s | %.1f |%n", r.name(), r.detection(),
          r.millis().size(), p50 / 1000, percentile(r.millis(), 100) / 1000, p50 / batonP50));
    }
    write("failover", md);
  }

  private StringBuilder header(String title) {
    StringBuilder md = new StringBuilder();
    md.append("## ").append(title).append("\n\n");
    md.append("Run at ").append(LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
        .append(" UTC with\n\n```sh\n").append(BUILD).append(" && java -jar baton-bench/target/baton-bench.jar ")
        .append(args).append("\n```\n\n");
    md.append(machine).append(" Load average (1/5/15 min) at start: ").append(loadAtStart)
        .append("; at the end of this part: ").append(loadAverage()).append(".\n\n");
    return md;
  }

  private void write(String key, StringBuilder md) throws IOException {
    String start = "<!-- " + key + ":start -->";
    String end = "<!-- " + key + ":end -->";
    String section = start + "\n" + md + end + "\n";
    System.out.println(section);
    Report.write(out, start, end, section);
  }

  private static double percentile(List<Double> values, double p) {
    List<Double> sorted = values.stream().sorted().toList();
    if (sorted.isEmpty()) return Double.NaN;
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
