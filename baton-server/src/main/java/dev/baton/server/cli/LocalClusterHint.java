package dev.baton.server.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code baton local-cluster}, which says where the local cluster went: it needs PostgreSQL's
 * binaries, which baton.jar does not carry, and runs from baton-local-cluster.jar. Hidden from the
 * command list; kept so that the command a newcomer remembers answers with the new one.
 */
@Command(
    name = "local-cluster",
    hidden = true,
    description = "Moved: java -jar baton-local-cluster/target/baton-local-cluster.jar")
public final class LocalClusterHint implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** The old command's flags (--nodes, --base-port): taken as the new jar takes them. */
  @Unmatched List<String> flags;

  @Override
  public Integer call() {
    String args = flags == null || flags.isEmpty() ? "" : " " + String.join(" ", flags);
    spec.commandLine()
        .getErr()
        .println(
            "local-cluster runs from its own jar, which carries PostgreSQL's binaries (baton.jar"
                + " does not): java -jar baton-local-cluster/target/baton-local-cluster.jar"
                + args
                + " (mvn -q -B -DskipTests package builds both)");
    return 2;
  }
}
