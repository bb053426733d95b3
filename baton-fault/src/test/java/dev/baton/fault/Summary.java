package dev.baton.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The suite's summary table (Markdown), printed and written to {@code target/fault-summary.md}. */
final class Summary {
  private Summary() {}

  static String table(List<ScenarioReport> reports, String command) {
    StringBuilder b = new StringBuilder();
    b.append(
        "| scenario | db | faults injected | firings | recovery re-runs | vetoed (lock busy) |"
            + " duplicates | overlaps | zombie overlaps (documented) | stale writes refused | lost"
            + " firings | accounted (no capable node) | unrecorded at kill | ERROR triggers |"
            + " unhealthy | failover p50 / max | time |\n");
    b.append(
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
    for (ScenarioReport r : reports) {
      b.append("| ")
          .append(r.scenario())
          .append(" | ")
          .append(r.database())
          .append(" | ")
          .append(r.faults().size())
          .append(": ")
          .append(String.join(", ", r.faults()))
          .append(" | ")
          .append(r.firings())
          .append(" | ")
          .append(r.recoveryRuns())
          .append(" | ")
          .append(r.vetoed())
          .append(" | ")
          .append(r.duplicates())
          .append(" | ")
          .append(r.overlaps())
          .append(" | ")
          .append(r.zombieOverlaps())
          .append(" | ")
          .append(r.refusedWrites())
          .append(" | ")
          .append(r.lost())
          .append(" | ")
          .append(r.accounted())
          .append(" | ")
          .append(r.unrecordedAtCrash())
          .append(" | ")
          .append(r.errored())
          .append(" | ")
          .append(r.unhealthy())
          .append(" | ")
          .append(
              r.failoverMs().isEmpty() ? "–" : r.failoverP50() + " / " + r.failoverMax() + " ms")
          .append(" | ")
          .append(String.format("%.0f s", r.durationMs() / 1000.0))
          .append(" |\n");
    }
    b.append("\nCommand: `").append(command).append("`\n");
    for (ScenarioReport r : reports) {
      if (r.violations().isEmpty() && r.notes().isEmpty()) continue;
      b.append("\n**").append(r.scenario()).append(" (").append(r.database()).append(")**\n");
      r.violations().forEach(v -> b.append("- VIOLATION: ").append(v).append('\n'));
      r.notes().stream().limit(20).forEach(n -> b.append("- note: ").append(n).append('\n'));
      if (r.notes().size() > 20)
        b.append("- … ").append(r.notes().size() - 20).append(" more notes\n");
    }
    return b.toString();
  }

  static void write(Path file, String table) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, table);
    } catch (IOException e) {
      System.err.println("fault suite: could not write " + file + ": " + e);
    }
  }
}
