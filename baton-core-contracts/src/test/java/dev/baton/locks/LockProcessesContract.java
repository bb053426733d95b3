package dev.baton.locks;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cluster locks across separate JVM processes ({@link LockContender} children) on one real
 * database: contention around a shared resource, and a holder killed with SIGKILL.
 */
abstract class LockProcessesContract {
  private TestDatabase db;
  private final List<Child> children = new ArrayList<>();
  private ClusterLocks parent;

  protected abstract TestDatabase newDatabase();

  @BeforeEach
  void setUp() {
    db = newDatabase();
    // Migrates the schema once, before any child starts.
    parent = ClusterLocks.builder(db.pool(4)).nodeId("parent").build();
  }

  @AfterEach
  void tearDown() {
    children.forEach(c -> c.process.destroyForcibly());
    if (parent != null) parent.close();
    if (db != null) db.close();
  }

  @Test
  void twoProcessesNeverOverlapAndTokensIncrease() throws Exception {
    db.execute(LockContender.SharedResource.DDL);
    Child one = start("contend", "p1", "shared", "15");
    Child two = start("contend", "p2", "shared", "15");

    for (Child c : List.of(one, two)) {
      assertThat(c.process.waitFor(120, TimeUnit.SECONDS))
          .as("child finished: %s", c.output)
          .isTrue();
      assertThat(c.process.exitValue()).as("exit code; output: %s", c.output).isZero();
    }
    LockContract.assertNoOverlapAndIncreasingTokens(db, 30);
  }

  @Test
  void holderKilledWithSigkillLosesTheLockOnlyWhenItsLeaseRunsOut() throws Exception {
    Child holder = start("hold", "victim", "kill9", "2000");
    String held = holder.awaitLine("HELD ", Duration.ofSeconds(60));
    long childToken = Long.parseLong(held.substring(5).trim());
    LockInfo before = parent.holder("kill9").orElseThrow();
    assertThat(before.ownerNode()).isEqualTo("victim");
    assertThat(before.fencingToken()).isEqualTo(childToken);

    holder.process.destroyForcibly(); // SIGKILL: no release, no shutdown hook
    assertThat(holder.process.waitFor(10, TimeUnit.SECONDS)).isTrue();

    ClusterLock taken = parent.acquire("kill9", Duration.ofSeconds(30), Duration.ofSeconds(20));
    LockInfo after = parent.holder("kill9").orElseThrow();
    assertThat(after.ownerNode()).isEqualTo("parent");
    assertThat(taken.fencingToken()).isGreaterThan(childToken);
    assertThat(after.acquiredAt())
        .as("taken only after the dead holder's lease ran out (database clock)")
        .isAfterOrEqualTo(before.expiresAt());
  }

  private Child start(String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-Duser.timezone=Asia/Tokyo",
                "-cp",
                System.getProperty("java.class.path"),
                LockContender.class.getName(),
                args[0]));
    command.addAll(List.of(db.connectionArgs()));
    command.addAll(List.of(args).subList(1, args.length));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    Child c = new Child(p);
    children.add(c);
    return c;
  }

  /**
   * A child process whose output is drained continuously so that it never blocks on a full pipe.
   */
  private static final class Child {
    final Process process;
    final List<String> output = new CopyOnWriteArrayList<>();

    Child(Process process) {
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

    String awaitLine(String prefix, Duration timeout) {
      org.awaitility.Awaitility.await()
          .atMost(timeout)
          .until(() -> output.stream().anyMatch(l -> l.startsWith(prefix)) || !process.isAlive());
      return output.stream()
          .filter(l -> l.startsWith(prefix))
          .findFirst()
          .orElseThrow(() -> new AssertionError("child never printed " + prefix + ": " + output));
    }
  }
}
