package dev.baton.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One instance of the sample as a child JVM on a test database, its output drained continuously (so
 * that it never blocks on a full pipe) and kept for the failure message.
 */
final class SampleInstance {
  final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();

  private SampleInstance(Process process) {
    this.process = process;
    CompletableFuture.runAsync(
        () -> {
          try (BufferedReader r =
              new BufferedReader(
                  new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) output.add(line);
          } catch (IOException ignored) {
            // The process died; its output so far is kept.
          }
        });
  }

  /**
   * Starts the sample as node {@code nodeId} on {@code db}, with the test classpath (the Baton
   * build) and {@code arguments} added to the command line.
   */
  static SampleInstance start(TestDatabase db, String nodeId, String... arguments)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String[] c = db.connectionArgs();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                SampleApplication.class.getName(),
                "--spring.datasource.url=" + c[0],
                "--spring.datasource.username=" + c[1],
                "--spring.datasource.password=" + c[2],
                "--server.port=0",
                "--baton.node-id=" + nodeId,
                "--spring.main.banner-mode=off"));
    command.addAll(List.of(arguments));
    return new SampleInstance(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /** Waits until the application has started; fails with its output if it died instead. */
  SampleInstance awaitStarted() {
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                output.stream().anyMatch(l -> l.contains("Started SampleApplication"))
                    || !process.isAlive());
    assertThat(process.isAlive()).as("instance died: %s", String.join("\n", output)).isTrue();
    return this;
  }
}
