package dev.baton.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.server.api.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code baton task show NAME}: what the dashboard's task page shows, as text. */
@Command(
    name = "task",
    description = "Show one task.",
    mixinStandardHelpOptions = true,
    subcommands = {TaskCommand.Show.class})
public final class TaskCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: give show NAME");
  }

  /**
   * {@code baton task show NAME [--history N] [--next N]}: the task's state, next fire times, where
   * it runs now, retry and concurrency state, and its latest executions; with {@code --json},
   * {@code {"task": ..., "next": ..., "history": ...}} from the three API calls.
   */
  @Command(
      name = "show",
      description =
          "Show a task: state, next fire times, where it runs now, retries, concurrency limit,"
              + " latest executions.",
      mixinStandardHelpOptions = true)
  public static final class Show extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The task's name")
    String name;

    @Option(
        names = "--history",
        defaultValue = "10",
        description = "Latest executions to show (default 10)")
    int history;

    @Option(names = "--next", defaultValue = "5", description = "Next fire times (default 5)")
    int next;

    @Override
    protected JsonNode execute(ApiClient api) throws ApiClient.ApiError {
      String path = "/api/tasks/" + ApiClient.segment(name);
      ObjectNode out = Json.MAPPER.createObjectNode();
      out.set("task", api.get(path));
      out.set("next", api.get(path + "/next?count=" + next));
      out.set(
          "history", api.get("/api/history?limit=" + history + "&task=" + ApiClient.segment(name)));
      return out;
    }

    @Override
    protected void print(JsonNode result) {
      PrintWriter out = spec.commandLine().getOut();
      JsonNode t = result.get("task");
      out.println("Task " + text(t, "name") + " (" + text(t, "state") + ")");
      line(out, "schedule", text(t, "schedule"));
      line(out, "runs", text(t, "type") != null ? text(t, "type") : text(t, "jobClass"));
      line(out, "paused", t.path("paused").asBoolean() ? "yes" : "no");
      line(out, "stuck", t.path("stuck").asBoolean() ? "YES: no live node can run it" : "no");
      if (text(t, "notRunnableReason") != null)
        line(out, "not runnable", text(t, "notRunnableReason"));
      List<String> times = new ArrayList<>();
      result.path("next").path("nextFireTimes").forEach(n -> times.add(n.asText()));
      line(out, "next fire times", times.isEmpty() ? "none" : String.join(", ", times));
      List<String> running = new ArrayList<>();
      t.path("runningNow")
          .forEach(r -> running.add(text(r, "nodeId") + " since " + text(r, "since")));
      line(out, "running now", running.isEmpty() ? "nowhere" : String.join(", ", running));
      JsonNode retry = t.path("retryState");
      line(
          out,
          "retry",
          (retry.path("policy").isNull() || retry.path("policy").isMissingNode()
                  ? "none"
                  : retry.get("policy").toString())
              + ", "
              + retry.path("pending").asInt()
              + " pending"
              + (retry.path("pendingAt").isEmpty() ? "" : " at " + retry.get("pendingAt")));
      JsonNode c = t.path("concurrency");
      line(
          out,
          "concurrency",
          c.path("running").asInt()
              + " running"
              + (c.hasNonNull("maxConcurrent")
                  ? " of at most " + c.get("maxConcurrent").asInt()
                  : ", no limit")
              + (c.path("atLimit").asBoolean() ? " (AT LIMIT)" : "")
              + (c.path("nonConcurrent").asBoolean() ? ", never overlapping" : ""));
      if (text(t, "lock") != null) line(out, "lock", text(t, "lock"));
      out.println();
      Table h = new Table("STARTED", "NODE", "OUTCOME", "DURATION MS", "ERROR");
      for (JsonNode e : result.path("history").path("executions")) {
        h.row(
            text(e, "startedAt"),
            text(e, "nodeId"),
            text(e, "outcome"),
            text(e, "durationMs"),
            text(e, "error"));
      }
      h.print(out);
    }

    private static void line(PrintWriter out, String key, String value) {
      out.printf("  %-16s %s%n", key + ":", value == null ? "-" : value);
    }
  }
}
