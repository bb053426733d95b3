package dev.baton.fault;

import dev.baton.testing.SkipNotice;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A MariaDB server of the suite's own, for the database-restart scenario: the machine's shared
 * server (127.0.0.1:3306) serves other tests at the same time, so the suite must never stop it.
 * This one runs Debian's {@code mariadbd} (as CI installs it) on a free port and a fresh data
 * directory made by {@code mariadb-install-db}, with {@code --no-defaults} so that no system
 * configuration leaks in; root logs in over TCP with an empty password. A restart is a normal
 * shutdown (SIGTERM, which cuts every session) and a start with the same command line.
 */
final class MariaDbServer implements FaultDatabase.Server, AutoCloseable {
  private static final List<String> BIN_DIRS = List.of("/usr/sbin", "/usr/bin", "/usr/local/bin");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path dataDir;
  private final Path log;
  private final List<String> command;
  private final int port;
  private final Thread killOnExit = new Thread(this::kill, "fault-mariadb-kill");
  private volatile Process process;
  private boolean closed;

  private MariaDbServer(Path dataDir, Path log, List<String> command, int port) {
    this.dataDir = dataDir;
    this.log = log;
    this.command = command;
    this.port = port;
  }

  /**
   * Installs and starts a server. Without MariaDB's server binaries the calling test is skipped
   * with a notice, or fails when {@code BATON_REQUIRE_MARIADB=true} (as CI sets).
   */
  static MariaDbServer startOrSkip(Path logDir) throws Exception {
    Path mariadbd = binary("mariadbd");
    Path installDb = binary("mariadb-install-db");
    if (mariadbd == null || installDb == null) {
      String notice =
          "mariadbd or mariadb-install-db not found (apt-get install mariadb-server):"
              + " the fault suite cannot start a MariaDB server of its own to restart; SKIPPED";
      if (Boolean.parseBoolean(System.getenv("BATON_REQUIRE_MARIADB"))) {
        throw new IllegalStateException(notice + "; BATON_REQUIRE_MARIADB=true makes this fatal");
      }
      SkipNotice.print(notice);
      Assumptions.abort(notice);
    }
    Files.createDirectories(logDir);
    Path log = logDir.resolve("mariadb-private.log");
    // Under /tmp, not target/: the socket path must stay within the 107 characters a socket allows.
    Path dataDir = Files.createTempDirectory("baton-fault-mariadb");
    try {
      install(installDb, dataDir.resolve("data"), log);
      // A free port can be taken by someone else before mariadbd binds it: then try another.
      for (int attempt = 1; ; attempt++) {
        int port = freePort();
        List<String> command = command(mariadbd, dataDir, log, port);
        MariaDbServer server = new MariaDbServer(dataDir, log, command, port);
        if (server.start()) {
          Runtime.getRuntime().addShutdownHook(server.killOnExit);
          return server;
        }
        if (attempt == 3) throw new IllegalStateException("mariadbd did not start; see " + log);
      }
    } catch (Exception | Error e) {
      delete(dataDir);
      throw e;
    }
  }

  /** Creates database {@code name} and describes it for node processes and checks. */
  FaultDatabase database(String name) {
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name + " on " + url(""), e);
    }
    return new FaultDatabase("mariadb", url(name), "root", "", this);
  }

  /**
   * Stops the server (SIGTERM: a normal shutdown, every session cut), keeps it down for {@code
   * downtime}, then starts it again on the same port and data directory and waits until it accepts
   * connections.
   */
  @Override
  public synchronized FaultDatabase.Outage restart(Duration downtime) throws Exception {
    Instant down = Instant.now();
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("mariadbd did not stop within 60 s of SIGTERM; see " + log);
    }
    Instant stopped = Instant.now();
    Thread.sleep(downtime.toMillis());
    if (!start()) throw new IllegalStateException("the MariaDB did not come back; see " + log);
    return new FaultDatabase.Outage(down, stopped, Instant.now());
  }

  /** Stops the server (a normal shutdown, forced after 30 s) and deletes its data. Idempotent. */
  @Override
  public synchronized void close() throws InterruptedException {
    if (closed) return;
    closed = true;
    if (process != null) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
    Runtime.getRuntime().removeShutdownHook(killOnExit);
    delete(dataDir);
  }

  /** Starts mariadbd and waits until it accepts connections; false if it exited or hung. */
  private boolean start() throws Exception {
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (true) {
      try (Connection c = admin()) {
        return true;
      } catch (SQLException e) {
        if (!process.isAlive()) return false;
        if (Instant.now().isAfter(deadline)) {
          process.destroyForcibly().waitFor();
          return false;
        }
        Thread.sleep(100);
      }
    }
  }

  /** The JVM exits with the server still up (a failed suite): no mariadbd may outlive it. */
  private void kill() {
    if (process != null) process.destroyForcibly();
  }

  private Connection admin() throws SQLException {
    return DriverManager.getConnection(url(""), "root", "");
  }

  private String url(String database) {
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
  }

  private static void install(Path installDb, Path data, Path log) throws Exception {
    List<String> install =
        new ArrayList<>(
            List.of(
                installDb.toString(),
                "--no-defaults",
                "--datadir=" + data,
                "--auth-root-authentication-method=normal",
                "--skip-test-db"));
    install.addAll(asRoot());
    Process p =
        new ProcessBuilder(install)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "mariadb-install-db failed (exit " + p.exitValue() + "); see " + log);
    }
  }

  private static List<String> command(Path mariadbd, Path dir, Path log, int port) {
    List<String> command =
        new ArrayList<>(
            List.of(
                mariadbd.toString(),
                "--no-defaults",
                "--datadir=" + dir.resolve("data"),
                "--bind-address=127.0.0.1",
                "--port=" + port,
                "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"),
                "--log-error=" + log,
                "--skip-name-resolve"));
    command.addAll(asRoot());
    return command;
  }

  /** mariadbd refuses to run as root unless told to (CI's containers run as root). */
  private static List<String> asRoot() {
    return "root".equals(System.getProperty("user.name")) ? List.of("--user=root") : List.of();
  }

  private static Path binary(String name) {
    // PATH first; then where Debian puts them, since sbin is often missing from a user's PATH.
    String[] path = System.getenv().getOrDefault("PATH", "").split(File.pathSeparator);
    return Stream.concat(Stream.of(path), BIN_DIRS.stream())
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst()
        .orElse(null);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("fault suite: could not delete " + dir + ": " + e);
    }
  }
}
