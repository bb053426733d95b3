package dev.baton.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code baton serve}: runs a node until SIGTERM or Ctrl-C, which drain running executions and exit
 * 0. Every flag has an environment variable; the flag wins.
 */
@Command(
    name = "serve",
    description = "Run a Baton node: cluster member, admin API and dashboard.",
    mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--db",
      defaultValue = "${env:BATON_DB_URL}",
      description = "JDBC URL (env BATON_DB_URL); default: H2 in the data directory, single node")
  String db;

  @Option(
      names = "--db-user",
      defaultValue = "${env:BATON_DB_USER}",
      description = "Database user (env BATON_DB_USER)")
  String dbUser;

  @Option(
      names = "--db-password",
      defaultValue = "${env:BATON_DB_PASSWORD}",
      description = "Database password (env BATON_DB_PASSWORD)")
  String dbPassword;

  @Option(
      names = "--node-id",
      defaultValue = "${env:BATON_NODE_ID}",
      description = "Node id, unique per process (env BATON_NODE_ID); default: host-pid-random")
  String nodeId;

  @Option(
      names = "--port",
      defaultValue = "${env:BATON_PORT:-8640}",
      description = "HTTP port, 0 for any free one (env BATON_PORT, default 8640)")
  int port;

  @Option(
      names = "--bind",
      defaultValue = "${env:BATON_BIND:-127.0.0.1}",
      description = "Address to listen on (env BATON_BIND, default 127.0.0.1)")
  String bind;

  @Option(
      names = "--plugins",
      defaultValue = "${env:BATON_PLUGINS}",
      description = "Directory of jars with job classes (env BATON_PLUGINS)")
  Path plugins;

  @Option(
      names = "--threads",
      defaultValue = "${env:BATON_THREADS:-4}",
      description = "Worker threads (env BATON_THREADS, default 4)")
  int threads;

  @Option(
      names = "--data-dir",
      defaultValue = "${env:BATON_DATA_DIR:-baton-data}",
      description =
          "Directory for the H2 database and the admin token (env BATON_DATA_DIR, default"
              + " ./baton-data)")
  Path dataDir;

  @Option(
      names = "--drain-timeout",
      defaultValue = "${env:BATON_DRAIN_TIMEOUT:-30}",
      description =
          "Seconds a stop waits for running executions (env BATON_DRAIN_TIMEOUT, default 30)")
  int drainSeconds;

  @Option(
      names = "--cluster-name",
      defaultValue = "${env:BATON_CLUSTER_NAME:-baton}",
      description =
          "Cluster to join, Quartz's SCHED_NAME (env BATON_CLUSTER_NAME, default baton;"
              + " a Spring Boot application's is quartzScheduler)")
  String clusterName;

  @Option(
      names = "--table-prefix",
      defaultValue = "${env:BATON_TABLE_PREFIX:-QRTZ_}",
      description = "Prefix of the scheduler tables (env BATON_TABLE_PREFIX, default QRTZ_)")
  String tablePrefix;

  @Option(
      names = "--departed-retention",
      defaultValue = "${env:BATON_DEPARTED_RETENTION:-86400}",
      description =
          "Seconds a departed node stays listed by the API and dashboard (env"
              + " BATON_DEPARTED_RETENTION, default 86400 = 24 h, at most 604800 = 7 days)")
  long departedRetentionSeconds;

  @Override
  public Integer call() throws Exception {
    NodeConfig config = validate();
    BatonNode node = BatonNode.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop =
        () -> {
          node.close();
          stopped.countDown();
        };
    // SIGTERM and Ctrl-C: drain, then exit 0. A plain shutdown hook would exit 143.
    ClassLoader loader = ServeCommand.class.getClassLoader();
    for (String signal : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(signal),
          s -> {
            Thread stopper =
                new Thread(
                    () -> {
                      stop.run();
                      System.exit(0);
                    },
                    "baton-stop");
            // A signal's handler thread has no context class loader, and Quartz makes its
            // connection
            // proxies with that one: without it, handing back unrun firings at the stop fails
            // ("java.sql.Connection ... not visible from class loader: null").
            stopper.setContextClassLoader(loader);
            stopper.start();
          });
    }
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "baton-shutdown"));
    printStart(node);
    stopped.await();
    return 0;
  }

  private void printStart(BatonNode node) {
    var out = spec.commandLine().getOut();
    AdminToken token = node.token();
    switch (token.source()) {
      case GENERATED ->
          out.printf(
              "Admin token (generated, saved to %s, shown only now): %s%n",
              token.file(), token.reveal());
      case FILE -> out.printf("Admin token: in %s%n", token.file());
      case ENVIRONMENT -> out.println("Admin token: from BATON_ADMIN_TOKEN");
    }
    out.printf("Dashboard: %s (enter the admin token there)%n", node.url());
    // Tests and scripts wait for this line; keep its shape.
    out.printf("Baton node %s listening on %s%n", node.baton().nodeId(), node.url());
    out.flush();
  }

  private NodeConfig validate() {
    if (port < 0 || port > 65535) bad("--port", port, "give 0 to 65535");
    if (threads < 1 || threads > 1000) bad("--threads", threads, "give 1 to 1000");
    if (drainSeconds < 0) bad("--drain-timeout", drainSeconds, "give zero or more seconds");
    if (departedRetentionSeconds < 1 || departedRetentionSeconds > 604_800)
      bad("--departed-retention", departedRetentionSeconds, "give 1 to 604800 seconds (7 days)");
    if (bind == null || bind.isBlank()) bad("--bind", bind, "give an address such as 127.0.0.1");
    if (plugins != null && !Files.isDirectory(plugins))
      bad("--plugins", plugins, "is not a directory");
    if (db != null && !db.startsWith("jdbc:"))
      bad("--db", db, "give a JDBC URL such as jdbc:postgresql://host/db");
    if (clusterName == null || clusterName.isBlank())
      bad("--cluster-name", clusterName, "give the cluster's name, e.g. quartzScheduler");
    if (tablePrefix == null || tablePrefix.isBlank())
      bad("--table-prefix", tablePrefix, "give the tables' prefix, e.g. QRTZ_");
    if (nodeId != null && !nodeId.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")) {
      bad("--node-id", nodeId, "use 1 to 100 letters, digits, '.', '_', ':' or '-'");
    }
    String token = System.getenv("BATON_ADMIN_TOKEN");
    if (token != null && token.length() < 16) {
      throw new ParameterException(
          spec.commandLine(), "BATON_ADMIN_TOKEN is too short: give at least 16 characters");
    }
    return new NodeConfig(
        blankToNull(db),
        blankToNull(dbUser),
        dbPassword,
        blankToNull(nodeId),
        bind,
        port,
        plugins,
        threads,
        dataDir,
        Duration.ofSeconds(drainSeconds),
        token,
        clusterName,
        tablePrefix,
        Duration.ofSeconds(departedRetentionSeconds));
  }

  private void bad(String flag, Object value, String fix) {
    throw new ParameterException(
        spec.commandLine(), "Invalid value '" + value + "' for option '" + flag + "': " + fix);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
