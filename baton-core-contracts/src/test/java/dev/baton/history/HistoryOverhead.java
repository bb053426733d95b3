package dev.baton.history;

import dev.baton.Baton;
import dev.baton.scheduling.Task;
import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * Not a test: a throwaway throughput probe for the README's overhead figure. On embedded
 * PostgreSQL, queues {@code n} one-off firings of a no-op job while everything is paused, resumes,
 * and times until all have run, with history off and on, alternately. Run with the test class path:
 * {@code java -cp target/test-classes:target/classes:<deps> dev.baton.history.HistoryOverhead 3000
 * 3}.
 */
public final class HistoryOverhead {
  static final AtomicInteger DONE = new AtomicInteger();

  /** The job being fired: does nothing but count. */
  public static final class NoOp implements Job {
    @Override
    public void execute(JobExecutionContext ctx) {
      DONE.incrementAndGet();
    }
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    for (int round = 1; round <= rounds; round++) {
      for (boolean history : new boolean[] {false, true}) {
        double rate = run(n, history);
        System.out.printf(
            "round %d history=%-5s %d firings: %.0f jobs/s%n", round, history, n, rate);
      }
    }
    System.exit(0);
  }

  private static double run(int n, boolean history) throws Exception {
    try (TestDatabase db = new PostgresDatabase()) {
      Baton node =
          Baton.builder(db.pool(16))
              .nodeId("bench")
              .threads(10)
              .idleWait(Duration.ofMillis(200))
              .history(history)
              .start();
      node.register(Task.named("noop").cron("0 0 0 1 1 ? 2099").runs(NoOp.class).build());
      node.pauseAll();
      for (int i = 0; i < n; i++) node.triggerNow("noop");
      DONE.set(0);
      long start = System.nanoTime();
      node.resumeAll();
      while (DONE.get() < n) Thread.sleep(5);
      double seconds = (System.nanoTime() - start) / 1e9;
      node.close();
      if (history) {
        long recorded =
            node.history().query(HistoryQuery.all().task("noop").limit(1000)).entries().size();
        System.out.printf(
            "  (history: first page holds %d entries, %d dropped)%n",
            recorded, node.history().droppedEvents());
      }
      return n / seconds;
    }
  }
}
