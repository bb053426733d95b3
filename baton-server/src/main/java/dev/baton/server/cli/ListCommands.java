package dev.baton.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The CLI's read-only commands: tasks, nodes, history and locks. */
public final class ListCommands {
  private ListCommands() {}

  /** {@code baton tasks}. */
  @Command(
      name = "tasks",
      description = "List the cluster's tasks.",
      mixinStandardHelpOptions = true)
  public static final class Tasks extends ClientCommand {
    @Override
    protected JsonNode execute(ApiClient api) throws ApiClient.ApiError {
      return api.get("/api/tasks");
    }

    @Override
    protected void print(JsonNode result) {
      Table t = new Table("NAME", "STATE", "SCHEDULE", "NEXT FIRE", "RUNS", "RUNNING ON");
      List<String> notRunnable = new ArrayList<>();
      for (JsonNode task : result.get("tasks")) {
        String type = text(task, "type");
        String runs = type != null ? type : text(task, "jobClass");
        String reason = text(task, "notRunnableReason");
        if (reason != null) {
          // The reason is a sentence: printed under the table rather than widening every row.
          runs += " (NOT RUNNABLE, see below)";
          notRunnable.add(text(task, "name") + ": not runnable: " + reason);
        } else if (task.path("stuck").asBoolean()) {
          runs += " (no live node can run it)";
        }
        List<String> on = new ArrayList<>();
        task.path("runningOn").forEach(n -> on.add(n.asText()));
        String running = on.isEmpty() ? "-" : String.join(",", on);
        if (task.hasNonNull("maxConcurrent"))
          running = on.size() + "/" + task.get("maxConcurrent").asInt() + " " + running;
        if (task.path("pendingRetries").asInt() > 0)
          runs += " (" + task.get("pendingRetries").asInt() + " retry pending)";
        t.row(
            text(task, "name"),
            text(task, "state"),
            text(task, "schedule"),
            text(task, "nextFireTime"),
            runs,
            running);
      }
      t.print(spec.commandLine().getOut());
      notRunnable.forEach(spec.commandLine().getOut()::println);
    }
  }

  /** {@code baton nodes}: members, then the nodes that departed within the retention. */
  @Command(
      name = "nodes",
      description =
          "List cluster members, and nodes that departed recently: when, how (left or declared"
              + " dead, and by whom), and what was recovered from them where.",
      mixinStandardHelpOptions = true)
  public static final class Nodes extends ClientCommand {
    @Override
    protected JsonNode execute(ApiClient api) throws ApiClient.ApiError {
      return api.get("/api/nodes");
    }

    @Override
    protected void print(JsonNode result) {
      Table t = new Table("NODE", "LIVE", "LAST CHECK-IN", "VERSION", "HOST", "JOB CLASSES");
      for (JsonNode n : result.get("nodes")) {
        t.row(
            text(n, "nodeId"),
            n.path("alive").asBoolean() ? "yes" : "NO",
            text(n, "lastCheckin"),
            text(n, "version"),
            text(n, "host"),
            n.path("runnableClasses").size());
      }
      t.print(spec.commandLine().getOut());
      JsonNode departed = result.path("departed");
      if (departed.isEmpty()) return;
      var out = spec.commandLine().getOut();
      out.println();
      out.println(
          "Departed in the last " + result.path("departedRetentionSeconds").asLong() + " s:");
      Table d = new Table("DEPARTED NODE", "AT", "HOW", "DECLARED BY", "HOST", "RECOVERED");
      for (JsonNode n : departed) {
        d.row(
            text(n, "nodeId"),
            text(n, "departedAt"),
            "LEFT".equals(text(n, "departure")) ? "left cleanly" : "declared dead",
            text(n, "declaredBy"),
            text(n, "host"),
            recovered(n.path("recovered")));
      }
      d.print(out);
    }

    /** "task: re-run on node (OUTCOME)" for each execution taken back, or "-". */
    private static String recovered(JsonNode list) {
      List<String> out = new ArrayList<>();
      for (JsonNode r : list) {
        String fate = text(r, "fate");
        out.add(
            text(r, "task")
                + ": "
                + switch (fate == null ? "" : fate) {
                  case "RERUN" ->
                      "re-run on " + text(r, "rerunNode") + " (" + text(r, "rerunOutcome") + ")";
                  case "RERUN_PENDING" -> "re-run pending";
                  default -> "abandoned";
                });
      }
      return out.isEmpty() ? "-" : String.join("; ", out);
    }
  }

  /** {@code baton history}: recent executions, from {@code GET /api/history}. */
  @Command(
      name = "history",
      description = "Show recent executions.",
      mixinStandardHelpOptions = true)
  public static final class History extends ClientCommand {
    @Option(names = "--task", description = "Only this task")
    String task;

    @Option(
        names = "--outcome",
        description = "Only these outcomes, comma-separated (e.g. FAILED,ABANDONED)")
    String outcome;

    @Option(names = "--node", description = "Only executions taken by this node")
    String node;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (default 50)")
    int limit;

    @Override
    protected JsonNode execute(ApiClient api) throws ApiClient.ApiError {
      StringBuilder query = new StringBuilder("?limit=").append(limit);
      if (task != null) query.append("&task=").append(ApiClient.segment(task));
      if (outcome != null) query.append("&outcome=").append(ApiClient.segment(outcome));
      if (node != null) query.append("&node=").append(ApiClient.segment(node));
      return api.get("/api/history" + query);
    }

    @Override
    protected void print(JsonNode result) {
      Table t =
          new Table(
              "TASK",
              "NODE",
              "STARTED",
              "DURATION MS",
              "OUTCOME",
              "ATTEMPT",
              "RETRY",
              "TOKEN",
              "ERROR");
      for (JsonNode e : result.get("executions")) {
        JsonNode d = e.path("details");
        t.row(
            text(e, "task"),
            text(e, "nodeId"),
            text(e, "startedAt"),
            text(e, "durationMs"),
            text(e, "outcome"),
            text(d, "baton.attempt"),
            retry(d),
            text(e, "fencingToken"),
            text(e, "error"));
      }
      t.print(spec.commandLine().getOut());
    }
  }

  /** What became of a failed attempt: "at <time>" for a stored retry, else the terminal reason. */
  private static String retry(JsonNode details) {
    String r = ClientCommand.text(details, "baton.retry");
    if (r == null) return null;
    return "scheduled".equals(r)
        ? "at " + ClientCommand.text(details, "baton.retryAt")
        : "TERMINAL: " + r;
  }

  /** {@code baton locks}: held cluster locks, from {@code GET /api/locks}. */
  @Command(
      name = "locks",
      description = "Show held cluster locks.",
      mixinStandardHelpOptions = true)
  public static final class Locks extends ClientCommand {
    @Override
    protected JsonNode execute(ApiClient api) throws ApiClient.ApiError {
      return api.get("/api/locks");
    }

    @Override
    protected void print(JsonNode result) {
      Table t = new Table("LOCK", "HOLDER", "TOKEN", "ACQUIRED", "EXPIRES");
      for (JsonNode l : result.get("locks")) {
        t.row(
            text(l, "name"),
            text(l, "holder"),
            text(l, "token"),
            text(l, "acquiredAt"),
            text(l, "expiresAt"));
      }
      t.print(spec.commandLine().getOut());
    }
  }
}
