package dev.baton.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The Markdown of one throughput run: the headline ratios of Baton to each peer per node count,
 * every contender-run with its statement profile, and how it was measured.
 */
final class ThroughputTable {
  private ThroughputTable() {}

  /** A peer of the headline table: its column title and how its results are recognised. */
  private record Peer(String title, Predicate<String> name) {}

  private static final List<Peer> PEERS =
      List.of(
          new Peer(
              "db-scheduler polling", n -> n.startsWith("db-scheduler") && n.contains("polling")),
          new Peer(
              "db-scheduler lock-and-fetch",
              n -> n.startsWith("db-scheduler") && n.contains("lock-and-fetch")),
          new Peer("stock Quartz", n -> n.startsWith("Quartz")),
          new Peer("floor", n -> n.startsWith("floor")));

  static String markdown(List<ThroughputBench.Result> results) {
    StringBuilder md = new StringBuilder();
    TreeSet<Integer> nodeCounts = new TreeSet<>();
    results.forEach(r -> nodeCounts.add(r.nodes()));
    md.append(
        String.format(
            Locale.ROOT,
            "%,d one-off no-op jobs, all due now, stored before the nodes start (setup not timed),"
                + " drained by %s node(s) of 10 worker threads each (stock Quartz at most 2), in"
                + " one JVM, each node with its own pool. Rate = executions per second from the"
                + " first execution to the last.%n%n",
            results.get(0).jobs(),
            joined(nodeCounts)));
    for (String baton : List.of("Baton", "Baton runs")) {
      if (results.stream().anyMatch(r -> r.name().equals(baton))) headline(md, results, baton);
    }
    md.append(
        "Every contender-run:\n\n| contender | nodes | jobs/s | Baton ÷ this | statements/job"
            + " | `QRTZ_LOCKS … FOR UPDATE`/job | executions | duplicates | drain time |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    for (ThroughputBench.Result r : results) {
      double baton =
          find(results, r.nodes(), n -> n.equals("Baton"))
              .map(ThroughputBench.Result::perSecond)
              .orElse(Double.NaN);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %s | %.2f | %s | %s | %,d | %d | %.1f s |%n",
              r.name(),
              r.nodes(),
              rate(r.perSecond()),
              baton / r.perSecond(),
              number(r.profile().statements(), "%.2f"),
              number(r.profile().lockAcquisitions(), "%.3f"),
              r.executions(),
              r.duplicates(),
              r.seconds()));
    }
    md.append(
        "\n"
            + "Baton ÷ this compares with Baton with its defaults at the same node count, measured"
            + " in the same run. Baton runs: each job a run of one on-demand task"
            + " (`submit(List<Run>)` through a node in standby, 1,000 per transaction), so a"
            + " trigger row per job and no job row.");
    if (results.stream().anyMatch(r -> r.name().startsWith("Quartz"))) {
      md.append(
          " Stock Quartz: `JobStoreTX`, `isClustered=true`, `PostgreSQLDelegate`, 10 threads,"
              + " everything else Quartz's default (batch size 1, acquisition outside the lock).");
    }
    md.append(
        " db-scheduler: `Scheduler.create(ds, task).threads(10)`, default polling"
            + " (fetch-and-lock-on-execute)"
            + (results.stream().anyMatch(r -> r.name().contains("lock-and-fetch"))
                ? " or `pollUsingLockAndFetch(0.5, 1.0)` (`SELECT … FOR UPDATE SKIP LOCKED`)."
                : ".")
            + " Jobs were stored through each library's API: Quartz's `scheduleJobs` (a transaction"
            + " per 2,000 jobs) for the Quartz-based contenders, db-scheduler's `scheduleBatch`,"
            + " then `ANALYZE` (MariaDB: `ANALYZE TABLE` of every table) for every contender"
            + " (statistics as autovacuum or InnoDB would have them shortly after a bulk insert)."
            + " Duplicates = executions of a job beyond its first.");
    if (results.stream().anyMatch(r -> !Double.isNaN(r.profile().statements()))) {
      md.append(
          " Statements/job: every statement the contender's nodes sent to its database while they"
              + " started and drained (`pg_stat_statements`, reset before the nodes start), divided"
              + " by the jobs. `QRTZ_LOCKS … FOR UPDATE`/job: Quartz's cluster-lock acquisitions,"
              + " i.e. `TRIGGER_ACCESS` (plus `STATE_ACCESS`, which a node takes only at its first"
              + " check-in and to recover a failed node); db-scheduler has no cluster lock.");
    }
    md.append('\n');
    return md.toString();
  }

  /**
   * One contender's ratios to each peer per node count: {@code Baton} (a task per job) or {@code
   * Baton runs} (runs of one on-demand task).
   */
  private static void headline(
      StringBuilder md, List<ThroughputBench.Result> results, String baton) {
    TreeSet<Integer> nodeCounts = new TreeSet<>();
    results.forEach(r -> nodeCounts.add(r.nodes()));
    List<Peer> peers =
        PEERS.stream()
            .filter(p -> results.stream().anyMatch(r -> p.name().test(r.name())))
            .toList();
    md.append("**")
        .append(baton)
        .append(" ÷ peer**, jobs/s at the same node count in this run (above 1 = ")
        .append(baton)
        .append(" faster):\n\n| nodes | ")
        .append(baton);
    for (Peer p : peers) md.append(" | ").append(p.title()).append(" | ÷ ").append(p.title());
    md.append(" |\n|---|---").append("|---|---".repeat(peers.size())).append("|\n");
    for (int nodes : nodeCounts) {
      Optional<ThroughputBench.Result> ours = find(results, nodes, n -> n.equals(baton));
      md.append("| ")
          .append(nodes)
          .append(" | ")
          .append(ours.map(b -> rate(b.perSecond())).orElse("—"));
      for (Peer p : peers) {
        Optional<ThroughputBench.Result> peer = find(results, nodes, p.name());
        md.append(" | ").append(peer.map(r -> rate(r.perSecond())).orElse("—")).append(" | ");
        md.append(
            ours.isPresent() && peer.isPresent()
                ? String.format(
                    Locale.ROOT, "**%.2f**", ours.get().perSecond() / peer.get().perSecond())
                : "—");
      }
      md.append(" |\n");
    }
    md.append('\n');
  }

  private static Optional<ThroughputBench.Result> find(
      List<ThroughputBench.Result> results, int nodes, Predicate<String> name) {
    return results.stream().filter(r -> r.nodes() == nodes && name.test(r.name())).findFirst();
  }

  private static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f", perSecond);
  }

  private static String number(double value, String format) {
    return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, format, value);
  }

  private static String joined(TreeSet<Integer> counts) {
    List<String> s = counts.stream().map(String::valueOf).toList();
    return s.size() == 1
        ? s.get(0)
        : String.join(", ", s.subList(0, s.size() - 1)) + " and " + s.get(s.size() - 1);
  }
}
