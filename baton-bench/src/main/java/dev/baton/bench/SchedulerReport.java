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
 * (throughput on durable PostgreSQL, on PostgreSQL without fsync, on MariaDB; registration;
 * lateness; failover), each with the machine, versions, database settings, command and load
 * average.
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

  void machine() {
    machine =
        "Machine: "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs ("
            + Report.cpuModel()
            + "), "
            + Report.memory()
            + " RAM, Java "
            + System.getProperty("java.version")
            + ". Libraries: Quartz 2.5.2, db-scheduler 16.7.1, HikariCP 7.0.2, PostgreSQL JDBC"
            + " 42.7.13, MariaDB Connector/J 3.5.6.";
  }

  /**
   * A throughput table, into section {@code key}: the headline ratios per node count, then every
   * run.
   */
  void throughput(String key, String title, BenchDatabase db, List<ThroughputBench.Result> results)
      throws IOException {
    StringBuilder md = header(title, db);
    md.append(ThroughputTable.markdown(results));
    write(key, md);
  }

  void ioBound(BenchDatabase db, List<IoBoundBench.Result> results) throws IOException {
    StringBuilder md = header("I/O-bound jobs: platform and virtual threads", db);
    IoBoundBench.Result r0 = results.get(0);
    md.append(
        String.format(
            Locale.ROOT,
            "%,d one-off jobs, each waiting %d ms (as a call to a slow service does), drained by"
                + " one node; jobs/s from the first job's end to the last's. Peak platform threads:"
                + " the JVM's whole count (the benchmark's own threads included), which virtual"
                + " workers do not add to. Virtual threads need Java 21+: without it the row is"
                + " absent. No peer is in this table: none offers virtual-thread workers (Quartz"
                + " has no such pool, quartz #1090), so each row is compared with Baton on 10"
                + " platform threads in the same run.%n%n",
            r0.jobs(),
            r0.ioMillis()));
    md.append(
        "| contender | jobs/s | ÷ 10 platform threads | peak platform threads | duplicates |\n"
            + "|---|---|---|---|---|\n");
    for (IoBoundBench.Result r : results) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %.2f | %d | %d |%n",
              r.name(),
              r.perSecond(),
              r.perSecond() / r0.perSecond(),
              r.peakPlatformThreads(),
              r.duplicates()));
    }
    write("io-bound", md);
  }

  void registration(BenchDatabase db, List<RegistrationBench.Result> results) throws IOException {
    StringBuilder md = header("Registration", db);
    md.append(
        String.format(
            Locale.ROOT,
            "%,d one-off no-op tasks, due in a day (nothing fires), stored through each library's"
                + " public API on a fresh database: Baton's `baton.register(Collection<Task>)` on a"
                + " started node with its defaults (the `Task` objects built before timing),"
                + " db-scheduler's `SchedulerClient.schedule(instance, time)` once per instance."
                + " Stored = rows counted afterwards.%n%n",
            results.get(0).tasks()));
    md.append(
        "| contender | tasks | time | tasks/s | Baton ÷ this | stored |\n"
            + "|---|---|---|---|---|---|\n");
    double baton = results.get(0).perSecond();
    for (RegistrationBench.Result r : results) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %.2f s | %,.0f | %.2f | %,d |%n",
              r.name(),
              r.tasks(),
              r.seconds(),
              r.perSecond(),
              baton / r.perSecond(),
              r.stored()));
    }
    md.append(
        "\n"
            + "Baton ÷ this: Baton's tasks/s over this contender's, same run; above 1 = Baton"
            + " faster.\n");
    write("registration", md);
  }

  void registrationBacklog(BenchDatabase db, List<RegistrationBench.BacklogResult> results)
      throws IOException {
    StringBuilder md = header("Registration into a growing backlog", db);
    RegistrationBench.BacklogResult r0 = results.get(0);
    md.append(
        String.format(
            Locale.ROOT,
            "%d batches of %,d one-off no-op tasks, due in a day (nothing fires), registered one"
                + " batch after the other into one database, as an application adds work over"
                + " time; each batch timed alone (its `Task` objects built before). Baton:"
                + " `register(Collection<Task>)` per batch on a started node with its defaults;"
                + " db-scheduler: `SchedulerClient.schedule(instance, time)` per instance. The"
                + " backlog's cost shows as the last batch against the first.%n%n",
            r0.seconds().length,
            r0.size()));
    md.append(
        "| contender | first batch | median | slowest | last batch | last ÷ first | all tasks/s |"
            + " stored |\n"
            + "|---|---|---|---|---|---|---|---|\n");
    for (RegistrationBench.BacklogResult r : results) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms | **%.2f** | %,.0f | %,d |%n",
              r.name(),
              r.first() * 1000,
              r.median() * 1000,
              r.slowest() * 1000,
              r.last() * 1000,
              r.last() / r.first(),
              r.seconds().length * r.size() / r.total(),
              r.stored()));
    }
    write("registration-backlog", md);
  }

  void recurring(BenchDatabase db, List<RecurringBench.Result> results) throws IOException {
    StringBuilder md = header("A recurring cron firing's database cost", db);
    RecurringBench.Result r0 = results.get(0);
    md.append(
        String.format(
            Locale.ROOT,
            "%d cron tasks firing every second (`%s`; db-scheduler: `Schedules.cron(\"* * * * *"
                + " *\")` recurring tasks polling every second, not every 10 s as by default), one"
                + " node with its defaults and 10 threads, measured for %d s after a 5 s warm-up."
                + " Per firing: every statement the node sent (`pg_stat_statements`, reset when the"
                + " measurement starts, so check-ins and polling count too), the `QRTZ_LOCKS … FOR"
                + " UPDATE` among them, and their execution time (planning not included).%n%n",
            r0.tasks(),
            RecurringBench.QUARTZ_CRON,
            r0.seconds()));
    md.append(
        "| contender | firings | statements per firing | `QRTZ_LOCKS … FOR UPDATE` per firing |"
            + " statement execution per firing | this ÷ Baton (time) |\n"
            + "|---|---|---|---|---|---|\n");
    double baton = r0.p().executionMillis();
    for (RecurringBench.Result r : results) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %.2f | %.3f | %.3f ms | %.2f |%n",
              r.name(),
              r.firings(),
              r.p().statements(),
              r.p().lockAcquisitions(),
              r.p().executionMillis(),
              r.p().executionMillis() / baton));
    }
    write("recurring", md);
  }

  void lateness(BenchDatabase db, List<LatenessBench.Result> results) throws IOException {
    StringBuilder md = header("Firing lateness", db);
    LatenessBench.Result r0 = results.get(0);
    md.append(
        String.format(
            Locale.ROOT,
            "%d nodes in one JVM (each with its own pool, defaults otherwise), %d recurring no-op"
                + " tasks, task i every 1 + i mod 5 s (interval triggers), %d s measured after a 10"
                + " s warm-up. **Aligned**: every task starts at the same instant, so each second"
                + " 60 to 300 firings fall due at the same millisecond (a burst the cluster drains"
                + " at its throughput). **Spread**: task i starts (i × 7919) mod its period ms"
                + " later (stored through each library's Quartz API), as tasks created over time"
                + " are. Lateness = job start − scheduled fire time"
                + " (`context.getScheduledFireTime()`), in ms.%n%n",
            LatenessBench.NODES,
            r0.tasks(),
            r0.seconds()));
    md.append(
        "| start times | contender | executions | p50 | p99 | max | p99: this ÷ Baton |\n"
            + "|---|---|---|---|---|---|---|\n");
    for (LatenessBench.Result r : results) {
      double batonP99 =
          results.stream().filter(b -> b.spread() == r.spread()).findFirst().orElse(r0).p99();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %,d | %.0f ms | %.0f ms | %.0f ms | %.1f |%n",
              r.spread() ? "spread" : "aligned",
              r.name(),
              r.executions(),
              r.p50(),
              r.p99(),
              r.max(),
              r.p99() / Math.max(1, batonP99)));
    }
    write("lateness", md);
  }

  void failover(BenchDatabase db, List<FailoverBench.Result> results) throws IOException {
    StringBuilder md = header("Failover", db);
    md.append(
        "Node A (its own JVM) runs a recoverable job; node B (another JVM) has joined and waited 3"
            + " s; A is killed with SIGKILL (`Process.destroyForcibly()`); time from the kill until"
            + " B starts the re-run (`context.isRecovering()`), as B prints it. Defaults of each"
            + " library.\n\n");
    md.append(
        "| contender | failure detection | runs | p50 | max | p50: this ÷ Baton |\n"
            + "|---|---|---|---|---|---|\n");
    double batonP50 = percentile(results.get(0).millis(), 50);
    for (FailoverBench.Result r : results) {
      double p50 = percentile(r.millis(), 50);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %.1f s | %.1f s | %.1f |%n",
              r.name(),
              r.detection(),
              r.millis().size(),
              p50 / 1000,
              percentile(r.millis(), 100) / 1000,
              p50 / batonP50));
    }
    write("failover", md);
  }

  private StringBuilder header(String title, BenchDatabase db) {
    StringBuilder md = new StringBuilder();
    md.append("## ").append(title).append("\n\n");
    md.append("Run at ")
        .append(
            LocalDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
        .append(" UTC with\n\n```sh\n")
        .append(BUILD)
        .append(" && java -jar baton-bench/target/baton-bench.jar ")
        .append(args)
        .append("\n```\n\n");
    md.append(machine)
        .append(" Database: ")
        .append(db.description())
        .append("; one server, a fresh database per contender-run.")
        .append(" Load average (1/5/15 min) at start: ")
        .append(loadAtStart)
        .append("; at the end of this part: ")
        .append(loadAverage())
        .append(".\n\n");
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
