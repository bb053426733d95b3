package dev.baton.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A node as a separate JVM ({@code java -cp <test class path> dev.baton.server.Main serve ...}), as
 * an operator runs it, with its output captured line by line.
 */
final class NodeProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("Baton node (\\S+) listening on http://127\\.0\\.0\\.1:(\\d+)/");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private volatile int port;
  private volatile String nodeId;

  private NodeProcess(Process process) {
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  output.add(line);
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    nodeId = m.group(1);
                    port = Integer.parseInt(m.group(2));
                  }
                }
              } catch (IOException ignored) {
                // The process ended.
              }
            },
            "node-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code serve} with the given flags and waits for its "listening" line. */
  static NodeProcess serve(String token, String... flags) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.baton.server.Main",
                "serve",
                "--port",
                "0"));
    command.addAll(List.of(flags));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("BATON_ADMIN_TOKEN", token);
    NodeProcess node = new NodeProcess(pb.start());
    try {
      Awaitility.await("node listening")
          .atMost(Duration.ofSeconds(90))
          .until(() -> node.port > 0 || !node.process.isAlive());
    } catch (RuntimeException e) {
      node.close();
      throw new IllegalStateException("node did not start listening:\n" + node.output(), e);
    }
    if (node.port == 0)
      throw new IllegalStateException("node exited before listening:\n" + node.output());
    return node;
  }

  int port() {
    return port;
  }

  String nodeId() {
    return nodeId;
  }

  Process process() {
    return process;
  }

  String output() {
    return String.join("\n", output);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
