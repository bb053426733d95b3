package dev.baton.fault;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One real PostgreSQL 17 server for the whole suite (zonky's Maven Central binaries) that can be
 * stopped and started again in place — same binaries, data directory, port and arguments — for the
 * database-restart scenario. zonky cannot restart its server, and its {@code pg_ctl} refuses to run
 * as root, so the restart signals the postmaster itself (SIGINT: fast shutdown, clients cut off)
 * and starts it again with the exact command line it had, read from {@code /proc/<pid>/cmdline}.
 */
final class PostgresServer implements FaultDatabase.Server, AutoCloseable {
  private final EmbeddedPostgres zonky;
  private final Path dataDir;
  private final Path log;
  private Process restarted;
  private boolean closed;

  PostgresServer(Path logDir) throws IOException {
    this.zonky =
        EmbeddedPostgres.builder()
            .setServerConfig("max_connections", "300")
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setRegisterShutdownHook(false) // ours stops whichever postmaster runs, see close()
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "fault-postgres-stop"));
    this.dataDir = field("dataDirectory").toPath();
    Files.createDirectories(logDir);
    this.log = logDir.resolve("postgres-restarted.log");
  }

  int port() {
    return zonky.getPort();
  }

  /** Creates database {@code name} and describes it for node processes and checks. */
  FaultDatabase database(String name) {
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    // A non-UTC session zone, like the other suites, so that time-zone mistakes show up.
    String url =
        "jdbc:postgresql://localhost:"
            + port()
            + "/"
            + name
            + "?options=-c%20TimeZone%3DAmerica/New_York";
    return new FaultDatabase("postgresql", url, "postgres", "", this);
  }

  /**
   * Stops the server (fast shutdown: every session is cut), keeps it down for {@code downtime},
   * then starts it again on the same port and data directory and waits until it accepts
   * connections.
   *
   * @return when it was stopped and when it accepted connections again
   */
  @Override
  public synchronized FaultDatabase.Outage restart(Duration downtime) throws Exception {
    long pid = postmasterPid();
    List<String> command = commandLine(pid);
    ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
    Instant down = Instant.now();
    new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
    handle.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    Instant stopped = Instant.now();
    Thread.sleep(downtime.toMillis());
    restarted =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      try (Connection c = admin()) {
        break;
      } catch (SQLException e) {
        if (Instant.now().isAfter(deadline) || !restarted.isAlive()) {
          throw new IllegalStateException("PostgreSQL did not come back; see " + log, e);
        }
        Thread.sleep(100);
      }
    }
    return new FaultDatabase.Outage(down, stopped, Instant.now());
  }

  /** SIGINT: PostgreSQL's fast shutdown (SIGTERM would wait for every client to leave). */
  private static void fastStop(Process p) {
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start().waitFor();
    } catch (Exception e) {
      p.destroyForcibly();
    }
  }

  private Connection admin() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + port() + "/postgres", "postgres", "");
  }

  private long postmasterPid() throws IOException {
    return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
  }

  private static List<String> commandLine(long pid) throws IOException {
    String raw =
        Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
    List<String> args = new ArrayList<>();
    // zonky runs the server as root inside a user namespace (PostgreSQL refuses root); so do we.
    if ("root".equals(System.getProperty("user.name"))) args.addAll(List.of("unshare", "-U"));
    for (String a : raw.split("\0")) if (!a.isEmpty()) args.add(a);
    return args;
  }

  private File field(String name) {
    try {
      Field f = EmbeddedPostgres.class.getDeclaredField(name);
      f.setAccessible(true);
      return (File) f.get(zonky);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("zonky's EmbeddedPostgres has no field " + name, e);
    }
  }

  /**
   * Stops whichever postmaster runs now: zonky's own (zonky stops it and deletes its data) or the
   * one restarted by {@link #restart}, which zonky's {@code pg_ctl stop} cannot reach, so it gets a
   * fast shutdown here and its data directory is deleted. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    if (restarted == null) {
      try {
        zonky.close();
      } catch (IOException | RuntimeException e) {
        System.err.println("fault suite: zonky close: " + e);
      }
      return;
    }
    fastStop(restarted);
    try {
      if (!restarted.waitFor(15, java.util.concurrent.TimeUnit.SECONDS))
        restarted.destroyForcibly().waitFor();
      try (var files = Files.walk(dataDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      System.err.println("fault suite: could not delete " + dataDir + ": " + e);
    }
  }
}
