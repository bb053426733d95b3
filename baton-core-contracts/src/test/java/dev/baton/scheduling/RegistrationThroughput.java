package dev.baton.scheduling;

import dev.baton.Baton;
import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.RecordingJob;
import dev.baton.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Not a test: a measurement. Registers {@code N} (default 20,000) one-off tasks at once on a fresh
 * embedded PostgreSQL (fsync off) through {@link Baton#register(java.util.Collection)}, then the
 * same batch again (all unchanged), and prints tasks per second. Run with the test class path:
 *
 * <pre>
 * mvn -B -q -pl baton-core test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp baton-core/target/classes:baton-core/target/test-classes:$(cat baton-core/target/cp.txt) \
 *     dev.baton.scheduling.RegistrationThroughput [N]
 * </pre>
 */
public final class RegistrationThroughput {
  private RegistrationThroughput() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    // Far enough ahead that nothing fires while measuring.
    Instant at = Instant.now().plus(Duration.ofDays(1));
    List<Task> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tasks.add(
          Task.named("one-off-" + i)
              .once(at.plusMillis(i))
              .runs(RecordingJob.class)
              .data("i", Integer.toString(i))
              .build());
    }
    try (TestDatabase db = new PostgresDatabase();
        Baton node = Baton.builder(db.pool(8)).nodeId("bench").threads(2).start()) {
      long t0 = System.nanoTime();
      Map<String, Registration> first = node.register(tasks);
      long t1 = System.nanoTime();
      Map<String, Registration> again = node.register(tasks);
      long t2 = System.nanoTime();
      report("created", first, n, t1 - t0);
      report("re-registered", again, n, t2 - t1);
    }
    System.exit(0);
  }

  private static void report(String what, Map<String, Registration> r, int n, long nanos) {
    long created = r.values().stream().filter(x -> x == Registration.CREATED).count();
    long unchanged = r.values().stream().filter(x -> x == Registration.UNCHANGED).count();
    System.out.printf(
        "%s %d one-off tasks on embedded PostgreSQL in %.2f s: %.0f tasks/s"
            + " (%d created, %d unchanged)%n",
        what, n, nanos / 1e9, n / (nanos / 1e9), created, unchanged);
  }
}
