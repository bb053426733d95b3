package dev.baton.localcluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar baton-local-cluster.jar ...} as a process of its own, its output kept line by
 * line, and signals sent to it as a terminal or {@code kill} sends them.
 */
final class LauncherProcess implements AutoCloseable {
  private static final Pattern NODE_PID = Pattern.compile("^  (node-\\d+) pid (\\d+)$");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();

  private LauncherProcess(Process process) {
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) output.add(line);
              } catch (IOException ignored) {
                // The process ended.
              }
            },
            "local-cluster-output");
    reader.setDaemon(true);
    reader.start();
  }

  static LauncherProcess start(Path jar, String... flags) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString()));
    command.addAll(List.of(flags));
    return new LauncherProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  Process process() {
    return process;
  }

  String output() {
    return String.join("\n", output);
  }

  /** The first line matching {@code pattern}, if one was printed. */
  Optional<Matcher> line(Pattern pattern) {
    for (String line : output) {
      Matcher m = pattern.matcher(line);
      if (m.find()) return Optional.of(m);
    }
    return Optional.empty();
  }

  /** The node processes' ids, from the launcher's "node-N pid P" lines. */
  List<Long> nodePids() {
    List<Long> pids = new ArrayList<>();
    for (String line : output) {
      Matcher m = NODE_PID.matcher(line);
      if (m.matches()) pids.add(Long.parseLong(m.group(2)));
    }
    return pids;
  }

  /**
   * Whether the process ignores SIGINT, as a JVM does when it inherits an ignored SIGINT (from a
   * shell that ran the build in the background): then no Ctrl-C can reach it. Read from Linux's
   * /proc; elsewhere, false.
   */
  boolean ignoresSigint() throws IOException {
    Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
    if (!Files.isReadable(status)) return false;
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        long ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
        return (ignored & (1L << (2 - 1))) != 0; // SIGINT is signal 2
      }
    }
    return false;
  }

  /** Sends {@code signal} (INT, TERM, ...) to the launcher only, with {@code kill}. */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
            .redirectErrorStream(true)
            .start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException(
          "kill -"
              + signal
              + " failed: "
              + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** Ends whatever is left: the launcher stops the rest when asked; its nodes are killed. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      for (long pid : nodePids()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
