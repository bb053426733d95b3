package dev.baton.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.baton.testing.SkipNotice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Jobs on virtual threads, on a real Java 21+ JVM in a child process (this build's JVM may be 17):
 * every job runs on a virtual thread, no more run at once than the node's threads, and the drain
 * waits for the running ones. Without a Java 21+ JVM (this JVM, {@code BATON_JAVA21_HOME} or one
 * under {@code /usr/lib/jvm}) it skips with a notice.
 */
class VirtualThreadWorkersTest {
  private static final Pattern RESULT =
      Pattern.compile(
          "RESULT startedBeforeDrain=(\\d+) started=(\\d+) endedAtClose=(\\d+) virtual=(\\d+)"
              + " mostAtOnce=(\\d+)");

  @Test
  void jobsRunOnVirtualThreadsWithinTheLimitAndTheDrainWaitsForThem() throws Exception {
    Optional<Path> java = java21();
    if (java.isEmpty()) {
      SkipNotice.print(
          "virtual-thread workers not tested: no Java 21+ JVM (set BATON_JAVA21_HOME)");
    }
    assumeThat(java).as("a Java 21+ JVM").isPresent();

    List<String> command = new ArrayList<>();
    command.add(java.get().toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(VirtualThreadNode.class.getName());
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
    assertThat(child.exitValue()).as(output).isZero();

    Matcher m = RESULT.matcher(output);
    assertThat(m.find()).as(output).isTrue();
    int startedBeforeDrain = Integer.parseInt(m.group(1));
    int started = Integer.parseInt(m.group(2));
    int ended = Integer.parseInt(m.group(3));
    int virtual = Integer.parseInt(m.group(4));
    int mostAtOnce = Integer.parseInt(m.group(5));
    assertThat(startedBeforeDrain)
        .as("jobs running when the drain began")
        .isGreaterThanOrEqualTo(4);
    assertThat(virtual).as("jobs that ran on a virtual thread").isEqualTo(started);
    assertThat(ended).as("jobs ended when close() returned: the drain waited").isEqualTo(started);
    assertThat(mostAtOnce).as("jobs at once, within threads(4)").isBetween(2, 4);
  }

  /** This JVM when it is 21+, else BATON_JAVA21_HOME, else a JDK 21+ under /usr/lib/jvm. */
  private static Optional<Path> java21() throws IOException {
    if (Runtime.version().feature() >= 21) {
      return ProcessHandle.current().info().command().map(Path::of);
    }
    String home = System.getenv("BATON_JAVA21_HOME");
    if (home != null && !home.isBlank()) return Optional.of(Path.of(home, "bin", "java"));
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) return Optional.empty();
    try (Stream<Path> homes = Files.list(jvms)) {
      return homes
          .filter(h -> Files.isExecutable(h.resolve("bin/java")))
          .filter(h -> featureOf(h) >= 21)
          .map(h -> h.resolve("bin/java"))
          .findFirst();
    }
  }

  /** The feature version in a JDK's {@code release} file, or 0. */
  private static int featureOf(Path jdk) {
    try {
      for (String line : Files.readAllLines(jdk.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Integer.parseInt(v.split("[.+-]")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not a JDK with a readable release file.
    }
    return 0;
  }
}
