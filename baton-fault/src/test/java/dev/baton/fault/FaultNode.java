package dev.baton.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Baton node as an operator runs it: {@code java -jar baton.jar serve} in its own process, its
 * output in a log file under {@code target/fault-logs}. Faults are real signals: SIGKILL, SIGSTOP,
 * SIGCONT, SIGTERM. Every node started is also killed by a JVM shutdown hook, so none outlives the
 * suite, even when it fails.
 */
final class FaultNode implements AutoCloseable {
  static final String TOKEN = "fault-suite-admin-token-0123456789";
  private static final Pattern LISTENING =
      Pattern.compile("Baton node (\\S+) listening on (http://127\\.0\\.0\\.1:\\d+/)");
  private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> STARTED.forEach(Process::destroyForcibly), "fault-nodes-kill"));
  }

  private final String id;
  private final String version;
  private final Process process;
  private final Path log;
  private final AdminClient api;
  private volatile boolean paused;

  private FaultNode(String id, String version, Process process, Path log, String url) {
    this.id = id;
    this.version = version;
    this.process = process;
    this.log = log;
    this.api = new AdminClient(url, TOKEN);
  }

  /**
   * Starts a node and waits for its "listening" line.
   *
   * @param plugins directory of plugin jars, or null
   * @param version a label for the report (e.g. the plugin version it runs)
   */
  static FaultNode start(
      Path jar, FaultDatabase db, String id, Path plugins, String version, Path logDir)
      throws IOException {
    return start(jar, db, id, plugins, version, logDir, java.util.Map.of(), 4);
  }

  /**
   * As {@link #start(Path, FaultDatabase, String, Path, String, Path)}, with extra environment
   * (e.g. libfaketime's) and the node's number of worker threads.
   */
  static FaultNode start(
      Path jar,
      FaultDatabase db,
      String id,
      Path plugins,
      String version,
      Path logDir,
      java.util.Map<String, String> env,
      int threads)
      throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(id + ".log");
    Path dataDir = Files.createDirectories(logDir.resolve(id + "-data"));
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx160m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Duser.timezone=Asia/Kolkata",
                "-jar",
                jar.toString(),
                "serve",
                "--db",
                db.url(),
                "--db-user",
                db.user(),
                "--db-password",
                db.password(),
                "--node-id",
                id,
                "--port",
                "0",
                "--threads",
                Integer.toString(threads),
                "--drain-timeout",
                "10",
                "--data-dir",
                dataDir.toString()));
    if (plugins != null) command.addAll(List.of("--plugins", plugins.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    pb.environment().put("BATON_ADMIN_TOKEN", TOKEN);
    pb.environment().putAll(env);
    Process p = pb.start();
    STARTED.add(p);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (true) {
      Matcher m = LISTENING.matcher(Files.readString(log));
      if (m.find()) return new FaultNode(id, version, p, log, m.group(2));
      if (!p.isAlive() || Instant.now().isAfter(deadline)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "node " + id + " did not start; its output:\n" + Files.readString(log));
      }
      sleep(100);
    }
  }

  String id() {
    return id;
  }

  String version() {
    return version;
  }

  AdminClient api() {
    return api;
  }

  long pid() {
    return process.pid();
  }

  /**
   * CPU time (user + system) the process has used so far, in milliseconds, from {@code
   * /proc/<pid>/stat}.
   */
  long cpuMillis() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
    // Fields after the command name (which may contain spaces): state is field 3; utime 14, stime
    // 15.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * 10; // USER_HZ is 100 on Linux
  }

  boolean alive() {
    return process.isAlive();
  }

  boolean paused() {
    return paused;
  }

  Path log() {
    return log;
  }

  /** {@code kill -9}; returns when the process is gone. */
  Instant kill() throws Exception {
    Instant at = Instant.now();
    process.destroyForcibly();
    process.waitFor();
    return at;
  }

  /** {@code kill -STOP}: the JVM freezes, sockets stay open, nothing runs. */
  void pause() throws Exception {
    signal("STOP");
    paused = true;
  }

  /** {@code kill -CONT}. */
  void resume() throws Exception {
    signal("CONT");
    paused = false;
  }

  /** SIGTERM: drains running executions and exits 0; waits for the exit. */
  void stopGracefully(Duration timeout) throws Exception {
    signal("TERM");
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(
          "node " + id + " did not stop within " + timeout + " after SIGTERM");
    }
    if (process.exitValue() != 0)
      throw new IllegalStateException(
          "node " + id + " exited " + process.exitValue() + " after SIGTERM");
  }

  private void signal(String name) throws Exception {
    int rc =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
            .inheritIO()
            .start()
            .waitFor();
    if (rc != 0)
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: " + rc);
  }

  /** Kills the process if it still runs (SIGKILL reaches a stopped process too). */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    STARTED.remove(process);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
