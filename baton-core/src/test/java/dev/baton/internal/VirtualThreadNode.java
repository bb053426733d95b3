package dev.baton.internal;

import dev.baton.Baton;
import dev.baton.scheduling.Task;
import dev.baton.testing.H2Database;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * A node with virtual-thread workers, run by {@link VirtualThreadWorkersTest} in a Java 21+ child
 * process: twelve I/O-bound jobs (300 ms of sleep each) on four workers, then a drain while some
 * run. Prints one line of what it saw for the test to check.
 */
public final class VirtualThreadNode {
  static final Map<String, Boolean> VIRTUAL = new ConcurrentHashMap<>();
  static final Map<String, Boolean> ENDED = new ConcurrentHashMap<>();
  static final AtomicInteger RUNNING = new AtomicInteger();
  static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();

  private VirtualThreadNode() {}

  /** Waits as a job that calls a slow service would. */
  public static final class IoBoundJob implements Job {
    @Override
    public void execute(JobExecutionContext ctx) {
      String task = ctx.getJobDetail().getKey().getName();
      VIRTUAL.put(task, isVirtual(Thread.currentThread()));
      MOST_AT_ONCE.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        RUNNING.decrementAndGet();
        ENDED.put(task, true);
      }
    }
  }

  private static boolean isVirtual(Thread t) {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  public static void main(String[] args) throws Exception {
    H2Database db = new H2Database();
    Baton node =
        Baton.builder(db.pool(Baton.connectionsNeeded(4)))
            .nodeId("virtual")
            .threads(4)
            .virtualThreads(true)
            .idleWait(Duration.ofMillis(100))
            .drainTimeout(Duration.ofSeconds(30))
            .start();
    for (int i = 0; i < 12; i++) {
      node.register(Task.named("io-" + i).once(Instant.now()).runs(IoBoundJob.class).build());
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (VIRTUAL.size() < 4 && System.nanoTime() < deadline) Thread.sleep(10);
    int startedBeforeDrain = VIRTUAL.size();
    node.close();
    db.close();
    int started = VIRTUAL.size();
    long virtual = VIRTUAL.values().stream().filter(v -> v).count();
    System.out.println(
        "RESULT startedBeforeDrain="
            + startedBeforeDrain
            + " started="
            + started
            + " endedAtClose="
            + ENDED.size()
            + " virtual="
            + virtual
            + " mostAtOnce="
            + MOST_AT_ONCE.get());
  }
}
