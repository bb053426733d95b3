package dev.baton.localcluster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Stops the local cluster in the one order in which every node can drain: all nodes at once, each
 * asked to drain and exit, then PostgreSQL, which a draining node still writes to. A node still
 * running past its drain timeout and a margin is killed; the nodes' directory is removed last. Runs
 * once: later callers wait for the first, so a signal, the shutdown hook and a failed start can all
 * call it.
 */
final class ClusterStop {
  /** Past the drain: closing the node's pool and HTTP server, and the JVM's exit. */
  static final Duration EXIT_MARGIN = Duration.ofSeconds(10);

  private final PrintWriter out;
  private final Duration drainTimeout;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private EmbeddedPostgres postgres;
  private Path workDir;
  private boolean requested;
  private volatile int exitCode;

  ClusterStop(PrintWriter out, Duration drainTimeout) {
    this.out = out;
    this.drainTimeout = drainTimeout;
  }

  /** Adopts PostgreSQL, stopped last; closes it at once when the stop has already begun. */
  void postgres(EmbeddedPostgres pg) throws IOException {
    synchronized (this) {
      if (!requested) {
        postgres = pg;
        return;
      }
    }
    pg.close();
  }

  /** Adopts the nodes' data directories' parent, removed at the stop. */
  synchronized void workDir(Path dir) {
    workDir = dir;
  }

  /** Starts a node, unless the stop has begun (then it returns null and starts nothing). */
  synchronized NodeProcess launch(NodeLauncher launcher) throws IOException {
    if (requested) return null;
    NodeProcess node = launcher.launch();
    nodes.add(node);
    return node;
  }

  synchronized boolean requested() {
    return requested;
  }

  /** Stops everything (once); returns when the cluster is down. */
  void run() {
    List<NodeProcess> toStop;
    EmbeddedPostgres pg;
    Path dir;
    synchronized (this) {
      if (requested) {
        awaitStopped();
        return;
      }
      requested = true;
      toStop = List.copyOf(nodes);
      pg = postgres;
      dir = workDir;
    }
    try {
      exitCode = stop(toStop, pg);
      if (dir != null) delete(dir);
    } finally {
      stopped.countDown();
    }
  }

  /** Waits until the stop has ended. */
  void awaitStopped() {
    boolean interrupted = false;
    while (true) {
      try {
        stopped.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  /** 0 when every node drained and exited by itself, 1 when one had to be killed. */
  int exitCode() {
    return exitCode;
  }

  private int stop(List<NodeProcess> toStop, EmbeddedPostgres pg) {
    Instant start = Instant.now();
    say(
        "Stopping: every node drains (up to "
            + drainTimeout.toSeconds()
            + " s), then PostgreSQL stops ...");
    toStop.forEach(NodeProcess::terminate);
    Instant deadline = start.plus(drainTimeout).plus(EXIT_MARGIN);
    List<String> killed = new ArrayList<>();
    for (NodeProcess node : toStop) {
      if (!awaitExit(node, deadline)) {
        say(
            node.name()
                + " did not exit within "
                + Duration.between(start, deadline).toSeconds()
                + " s; killing it");
        node.kill();
        killed.add(node.name());
      }
    }
    for (NodeProcess node : toStop) awaitOutputEnd(node);
    if (pg != null) {
      try {
        pg.close();
      } catch (IOException e) {
        say("PostgreSQL did not stop cleanly: " + e.getMessage());
      }
    }
    double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
    say(
        String.format(
            "Local cluster stopped in %.1f s%s",
            seconds, killed.isEmpty() ? "." : "; killed: " + String.join(", ", killed)));
    return killed.isEmpty() ? 0 : 1;
  }

  /** Removes {@code dir} and its contents (none, as a rule: the nodes keep all in PostgreSQL). */
  private void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      say("Could not remove " + dir + ": " + e.getMessage());
    }
  }

  private static boolean awaitExit(NodeProcess node, Instant deadline) {
    try {
      return node.awaitExit(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void awaitOutputEnd(NodeProcess node) {
    try {
      node.awaitOutputEnd(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void say(String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  /** Starts one node process. */
  @FunctionalInterface
  interface NodeLauncher {
    NodeProcess launch() throws IOException;
  }
}
