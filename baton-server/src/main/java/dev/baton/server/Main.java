package dev.baton.server;

import dev.baton.server.cli.ActionCommands;
import dev.baton.server.cli.HealthCommand;
import dev.baton.server.cli.ListCommands;
import dev.baton.server.cli.LocalClusterHint;
import dev.baton.server.cli.MigrateQuartzCommand;
import dev.baton.server.cli.TaskCommand;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar baton.jar <command>}: {@code serve} runs a node, {@code migrate-quartz} converts
 * the job data a stock Quartz left behind, and the other commands are the CLI of a running node.
 * The three-node cluster for trying Baton out is baton-local-cluster.jar ({@code local-cluster}
 * says so).
 */
@Command(
    name = "baton",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Baton: clustered scheduled tasks on your own database.",
    subcommands = {
      ServeCommand.class,
      LocalClusterHint.class,
      ListCommands.Tasks.class,
      TaskCommand.class,
      ListCommands.History.class,
      ListCommands.Nodes.class,
      ListCommands.Locks.class,
      HealthCommand.class,
      ActionCommands.Run.class,
      ActionCommands.Retry.class,
      ActionCommands.Pause.class,
      ActionCommands.Resume.class,
      ActionCommands.ResetErrored.class,
      MigrateQuartzCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code;
    try {
      code = commandLine().execute(args);
    } catch (Throwable e) {
      // Errors picocli does not handle (a LinkageError at start-up) must still end the process.
      System.err.println("error: " + e);
      code = 1;
    }
    // serve keeps running on its own threads until a signal; every other command ends here.
    if (code != 0 || args.length == 0 || !"serve".equals(args[0])) System.exit(code);
  }

  /** The command line, for tests that run commands in-process. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    // A node that cannot start says why in one line (database unreachable, port taken, ...).
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          commandLine.getErr().println("error: " + e.getMessage());
          LoggerFactory.getLogger(Main.class).debug("Command failed", e);
          return 1;
        });
    return cli;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Missing command: give one of serve, health, tasks, task, history, nodes, locks, run,"
            + " retry, pause, resume, reset-errored, migrate-quartz");
  }

  /** The Baton version from the core's version file; baton-local-cluster.jar's too. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      try (var in = Main.class.getResourceAsStream("/dev/baton/baton-version.txt")) {
        return new String[] {
          "baton " + (in == null ? "unknown" : new String(in.readAllBytes()).trim())
        };
      } catch (java.io.IOException e) {
        return new String[] {"baton unknown"};
      }
    }
  }
}
