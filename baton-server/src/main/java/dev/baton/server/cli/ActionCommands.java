package dev.baton.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The CLI's commands that change something: run, retry, pause, resume, reset-errored. */
public final class ActionCommands {
  private ActionCommands() {}

  /** A command acting on one task. */
  abstract static class TaskAction extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The task's name")
    String name;

    abstract String action();

    abstract String done();

    @Override
    protected JsonNode execute(ApiClient api) throws ApiClient.ApiError {
      return api.post("/api/tasks/" + ApiClient.segment(name) + "/" + action());
    }

    @Override
    protected void print(JsonNode result) {
      String state = text(result, "state");
      spec.commandLine()
          .getOut()
          .println("Task " + name + " " + done() + (state == null ? "" : " (state " + state + ")"));
    }
  }

  /** {@code baton run NAME}. */
  @Command(name = "run", description = "Fire a task once, now.", mixinStandardHelpOptions = true)
  public static final class Run extends TaskAction {
    String action() {
      return "run";
    }

    String done() {
      return "triggered";
    }
  }

  /** {@code baton retry NAME}. */
  @Command(
      name = "retry",
      description =
          "Run a task once more by hand, e.g. after its retries were exhausted; not retried"
              + " itself.",
      mixinStandardHelpOptions = true)
  public static final class Retry extends TaskAction {
    String action() {
      return "retry";
    }

    String done() {
      return "retried";
    }
  }

  /** {@code baton pause NAME}. */
  @Command(
      name = "pause",
      description = "Pause a task cluster-wide.",
      mixinStandardHelpOptions = true)
  public static final class Pause extends TaskAction {
    String action() {
      return "pause";
    }

    String done() {
      return "paused";
    }
  }

  /** {@code baton resume NAME}. */
  @Command(name = "resume", description = "Resume a paused task.", mixinStandardHelpOptions = true)
  public static final class Resume extends TaskAction {
    String action() {
      return "resume";
    }

    String done() {
      return "resumed";
    }
  }

  /** {@code baton reset-errored}. */
  @Command(
      name = "reset-errored",
      description = "Put triggers in ERROR back in service.",
      mixinStandardHelpOptions = true)
  public static final class ResetErrored extends ClientCommand {
    @Override
    protected JsonNode execute(ApiClient api) throws ApiClient.ApiError {
      return api.post("/api/triggers/reset-errored");
    }

    @Override
    protected void print(JsonNode result) {
      spec.commandLine()
          .getOut()
          .println("Reset " + result.path("reset").asInt() + " trigger(s) in ERROR");
    }
  }
}
