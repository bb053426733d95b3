package dev.baton.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/** Formats the lock benchmark as Markdown and writes it into the "Locks" section of a file. */
final class Report {
  static final String START = "<!-- locks:start -->";
  static final String END = "<!-- locks:end -->";
  static final String COMMAND =
      "mvn -B -q -pl baton-bench -am -DskipTests package && java -jar"
          + " baton-bench/target/baton-bench.jar locks";

  private Report() {}

  static String markdown(
      List<LockBench.Result> results, String pgVersion, int threads, long workNanos) {
    LockBench.Result baton = results.get(0);
    StringBuilder md = new StringBuilder();
    md.append(START).append('\n');
    md.append("## Locks\n\n");
    md.append("Run on ")
        .append(LocalDate.now(ZoneOffset.UTC))
        .append(" with\n\n```sh\n")
        .append(COMMAND)
        .append("\n```\n\n");
    md.append("Machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs (")
        .append(cpuModel())
        .append("), ")
        .append(memory())
        .append(" RAM, Java ")
        .append(System.getProperty("java.version"))
        .append(" (")
        .append(System.getProperty("java.vm.name"))
        .append("), embedded PostgreSQL ")
        .append(pgVersion)
        .append(" (fsync off) on the same machine. Load average at the end: ")
        .append(loadAverage())
        .append("; absolute numbers move with the load, so compare within the table.\n\n");
    md.append("| contender | uncontended acquire+release p50 | p99 | ops/s | hand-off p50 (")
        .append(threads)
        .append(" threads) | hand-off p99 | hand-offs measured |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (LockBench.Result r : results) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.3f ms | %.3f ms | %,.0f | %.3f ms | %.3f ms | %d |%n",
              r.name(),
              r.p50(),
              r.p99(),
              r.opsPerSecond(),
              r.handoffP50(),
              r.handoffP99(),
              r.handoffs()));
    }
    md.append("\nRatios (Baton vs other; above 1 = Baton better):\n\n");
    md.append("| vs | uncontended ops/s | uncontended p99 | hand-off p99 |\n|---|---|---|---|\n");
    for (LockBench.Result r : results.subList(1, results.size())) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2f | %.2f | %.2f |%n",
              r.name(),
              baton.opsPerSecond() / r.opsPerSecond(),
              r.p99() / baton.p99(),
              r.handoffP99() / baton.handoffP99()));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nMethod: %d warm-up then %,d timed acquire+release pairs on one thread, in 5 rounds"
                + " interleaving the contenders; then %d threads, each with its own connections"
                + " (Baton: its own ClusterLocks, i.e. its own node and LISTEN connection), loop"
                + " acquire, %d µs of work, release, %d µs pause, for %,d entries or 20 s. Hand-off"
                + " = from the moment a holder starts releasing to the next (other) holder's entry,"
                + " System.nanoTime in one JVM. ShedLock 6.9.2 `JdbcLockProvider` (its plain JDBC"
                + " provider has no database-time option; it compares against the JVM clock) has no"
                + " waiting acquire, so it polls with Baton's own polling backoff (2 ms doubling to"
                + " 200 ms, jittered). SELECT FOR UPDATE holds a row lock for a transaction (one"
                + " connection pinned per holder and waiter; no lease, no fencing token, no"
                + " survival past the connection).%n",
            LockBench.WARMUP,
            LockBench.UNCONTENDED,
            threads,
            workNanos / 1000,
            workNanos / 1000,
            LockBench.HANDOFFS));
    md.append(END).append('\n');
    return md.toString();
  }

  /** Replaces the Locks section of {@code out}, or appends it (creating the file if needed). */
  static void write(Path out, String section) throws IOException {
    write(out, START, END, section);
  }

  /** Replaces the section between {@code start} and {@code end} of {@code out}, or appends it. */
  static void write(Path out, String startMarker, String endMarker, String section)
      throws IOException {
    String text =
        Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "# Benchmarks\n\n";
    int start = text.indexOf(startMarker);
    int end = text.indexOf(endMarker);
    if (start >= 0 && end > start) {
      text = text.substring(0, start) + section + text.substring(end + endMarker.length() + 1);
    } else {
      text = text + (text.endsWith("\n\n") ? "" : "\n") + section;
    }
    if (out.getParent() != null) Files.createDirectories(out.getParent());
    Files.writeString(out, text, StandardCharsets.UTF_8);
  }

  static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  static String memory() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(l -> l.startsWith("MemTotal"))
          .findFirst()
          .map(
              l ->
                  String.format(
                      Locale.ROOT,
                      "%.1f GiB",
                      Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The 1/5/15-minute load averages, or "unknown" off Linux. */
  static String loadAverage() {
    try {
      String[] f =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
              .trim()
              .split("\\s+");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
