package dev.baton.localcluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node of the local cluster: baton-server's {@code serve} in a JVM of its own, run from this
 * jar's class path, its output relayed line by line behind the node's name.
 */
final class NodeProcess {
  /** The line {@code serve} prints once it listens; its shape is kept for scripts and tests. */
  private static final Pattern LISTENING =
      Pattern.compile("^Baton node \\S+ listening on (http://\\S+?)/?$");

  private final String name;
  private final Process process;
  private final CompletableFuture<String> url = new CompletableFuture<>();
  private final Thread relay;

  private NodeProcess(String name, Process process, PrintWriter out) {
    this.name = name;
    this.process = process;
    this.relay = new Thread(() -> relay(out), "relay-" + name);
    relay.setDaemon(true);
    relay.start();
  }

  /** Starts {@code serve} with {@code flags}, the admin token in its environment. */
  static NodeProcess start(String name, List<String> flags, String token, PrintWriter out)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.baton.server.Main",
                "serve"));
    command.addAll(flags);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("BATON_ADMIN_TOKEN", token);
    return new NodeProcess(name, pb.start(), out);
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  /**
   * Waits for the node to listen and returns its address (http://host:port).
   *
   * @throws IllegalStateException when it exits first or does not listen within {@code timeout}
   */
  String awaitListening(Duration timeout) throws InterruptedException {
    try {
      return url.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          name + " did not start listening within " + timeout.toSeconds() + " s", e);
    }
  }

  /**
   * Asks the node to drain and exit (SIGTERM). Through the process handle, because {@link
   * Process#destroy()} would also close our end of its output, and the node's last lines (what it
   * drained, that it stopped) would be lost.
   */
  void terminate() {
    process.toHandle().destroy();
  }

  /** Waits until the node has exited or {@code deadline} has passed; true when it has exited. */
  boolean awaitExit(Instant deadline) throws InterruptedException {
    long millis = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
    return process.waitFor(millis, TimeUnit.MILLISECONDS);
  }

  void kill() {
    process.destroyForcibly();
  }

  /** Waits (briefly) until the node's last output line has been relayed. */
  void awaitOutputEnd(Duration timeout) throws InterruptedException {
    relay.join(Math.max(1, timeout.toMillis()));
  }

  private void relay(PrintWriter out) {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        Matcher m = LISTENING.matcher(line);
        if (m.find()) url.complete(m.group(1));
        // The token is printed once, by the launcher, with every dashboard address.
        if (line.startsWith("Admin token")) continue;
        synchronized (out) {
          out.println("[" + name + "] " + line);
          out.flush();
        }
      }
    } catch (IOException ignored) {
      // The node exited; what follows says so.
    }
    url.completeExceptionally(
        new IllegalStateException(name + " exited before it listened (its output is above)"));
  }
}
