package dev.baton.localcluster;

import dev.baton.server.AdminToken;
import dev.baton.server.Main;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code java -jar baton-local-cluster.jar}: a real PostgreSQL (zonky's Maven Central binaries,
 * carried by this jar), node processes of baton-server's {@code serve} on consecutive ports from
 * 8640, and a sample workload, so that a newcomer can watch work spread and kill a node. Ctrl-C
 * (SIGINT) or SIGTERM drains every node at once, then stops PostgreSQL, and exits 0.
 */
@Command(
    name = "baton-local-cluster",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Start PostgreSQL and three Baton nodes locally, with a sample workload.")
public final class LocalCluster implements Callable<Integer> {
  /** How long a node may take to start (the first one also creates the schema). */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  @Spec CommandSpec spec;

  @Option(
      names = "--base-port",
      defaultValue = "8640",
      description = "Port of the first node; the others follow (default 8640; 0: any free ports)")
  int basePort;

  @Option(names = "--nodes", defaultValue = "3", description = "How many nodes (default 3)")
  int nodeCount;

  @Option(
      names = "--drain-timeout",
      defaultValue = "30",
      description = "Seconds a node waits for its running executions at the stop (default 30)")
  int drainSeconds;

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new LocalCluster());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          commandLine.getErr().println("error: " + e.getMessage());
          return 1;
        });
    System.exit(cli.execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    String invalid = invalidOption();
    if (invalid != null) {
      spec.commandLine().getErr().println(invalid);
      return 2;
    }
    ClusterStop stop = new ClusterStop(out, Duration.ofSeconds(drainSeconds));
    // Ctrl-C and SIGTERM stop the cluster and exit with the stop's code; a plain shutdown hook
    // would exit 130 or 143. The hook stays for the other ends of the JVM (SIGHUP, ...).
    for (String signal : new String[] {"INT", "TERM"}) {
      Signal.handle(new Signal(signal), s -> new Thread(stop::run, "local-cluster-stop").start());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(stop::run, "local-cluster-shutdown"));
    try {
      start(stop, out);
    } catch (Exception e) {
      if (!stop.requested()) {
        stop.run();
        throw e;
      }
      // Ctrl-C during the start: the stop explains itself; a node cut short is no error.
    }
    stop.awaitStopped();
    return stop.exitCode();
  }

  private String invalidOption() {
    if (nodeCount < 1 || nodeCount > 9) {
      return "Invalid value '" + nodeCount + "' for option '--nodes': give 1 to 9";
    }
    if (basePort != 0 && (basePort < 1 || basePort + nodeCount - 1 > 65535)) {
      return "Invalid value '"
          + basePort
          + "' for option '--base-port': give 0, or 1 to "
          + (65536 - nodeCount);
    }
    if (drainSeconds < 0) {
      return "Invalid value '" + drainSeconds + "' for option '--drain-timeout': give zero or more";
    }
    return null;
  }

  /** Starts PostgreSQL, the nodes and the workload, unless the stop comes first. */
  private void start(ClusterStop stop, PrintWriter out) throws Exception {
    say(out, "Starting PostgreSQL (embedded binaries) ...");
    // Its own shutdown hook would stop PostgreSQL as soon as the JVM begins to exit (SIGHUP, say),
    // beside ours and while the nodes still need it to drain: ClusterStop closes it after them.
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setServerConfig("max_connections", "100")
            .setRegisterShutdownHook(false)
            .start();
    stop.postgres(postgres);
    String token = AdminToken.generate();
    String db = postgres.getJdbcUrl("postgres", "postgres");
    Path work = Files.createTempDirectory("baton-local-cluster");
    stop.workDir(work);
    List<NodeProcess> nodes = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      String id = "node-" + (i + 1);
      List<String> flags =
          List.of(
              "--db",
              db,
              "--db-user",
              "postgres",
              "--node-id",
              id,
              "--port",
              String.valueOf(basePort == 0 ? 0 : basePort + i),
              "--data-dir",
              work.resolve(id).toString(),
              "--drain-timeout",
              String.valueOf(drainSeconds));
      NodeProcess node = stop.launch(() -> NodeProcess.start(id, flags, token, out));
      if (node == null) return;
      nodes.add(node);
      // The first node creates the schema; the others start after it, which keeps the output calm.
      if (i == 0) node.awaitListening(START_TIMEOUT);
    }
    List<String> urls = new ArrayList<>();
    for (NodeProcess node : nodes) urls.add(node.awaitListening(START_TIMEOUT));
    SampleWorkload.create(urls.get(0), token);
    say(out, "");
    say(out, "Local cluster is up: " + nodeCount + " nodes on PostgreSQL " + db);
    for (int i = 0; i < nodes.size(); i++) {
      say(out, "  " + nodes.get(i).name() + " dashboard: " + urls.get(i) + "/?token=" + token);
    }
    say(
        out,
        "  CLI: BATON_ADMIN_TOKEN="
            + token
            + " java -jar baton-server/target/baton.jar tasks --url "
            + urls.get(0));
    say(out, "Kill a node (kill <pid>) and watch its work move; Ctrl-C stops everything.");
    for (NodeProcess node : nodes) say(out, "  " + node.name() + " pid " + node.pid());
  }

  private static void say(PrintWriter out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
