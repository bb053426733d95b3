package dev.baton.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.baton.locks.ClusterLocks;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import net.javacrumbs.shedlock.provider.jdbc.JdbcLockProvider;

/**
 * Cluster-lock benchmark on an embedded PostgreSQL: uncontended acquire+release latency and
 * throughput, and hand-off latency (release by one holder to entry of the next) with several
 * threads, each with its own connections, contending for one lock.
 */
final class LockBench {
  static final int WARMUP = 1_000;
  static final int UNCONTENDED = 5_000;
  static final int ROUNDS = 5;
  static final int THREADS = 4;
  static final int HANDOFFS = 1_000;
  static final long HANDOFF_TIME_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(20);

  /** Work inside the lock and pause after releasing, so that the releaser does not always win. */
  static final long WORK_NANOS = 200_000;

  private final Path out;
  private final List<HikariDataSource> pools = new ArrayList<>();

  LockBench(Path out) {
    this.out = out;
  }

  /** One contender's results. */
  record Result(
      String name,
      double p50,
      double p99,
      double opsPerSecond,
      double handoffP50,
      double handoffP99,
      int handoffs) {}

  void run() throws Exception {
    try (EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setServerConfig("max_connections", "200")
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .start()) {
      String url = pg.getJdbcUrl("postgres", "postgres");
      String pgVersion;
      try (Connection c = pool(url, 2).getConnection();
          Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE shedlock (name VARCHAR(64) NOT NULL, lock_until TIMESTAMP NOT NULL,"
                + " locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL, PRIMARY KEY"
                + " (name))");
        s.execute("CREATE TABLE bench_row_locks (name VARCHAR(64) PRIMARY KEY)");
        s.execute("INSERT INTO bench_row_locks VALUES ('bench')");
        try (ResultSet rs = s.executeQuery("SHOW server_version")) {
          rs.next();
          pgVersion = rs.getString(1);
        }
      }
      List<ClusterLocks> batonNodes = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        batonNodes.add(
            ClusterLocks.builder(pool(url, 4)).nodeId("bench-" + i).migrateSchema(i == 0).build());
      }
      JdbcLockProvider shed = new JdbcLockProvider(pool(url, THREADS + 2));
      HikariDataSource rowPool = pool(url, THREADS + 2);

      List<IntFunction<Contender>> contenders =
          List.of(
              i -> Contenders.baton(batonNodes.get(i)),
              i -> Contenders.shedLock(shed),
              i -> Contenders.forUpdate(rowPool));
      List<Result> results = measure(contenders);
      batonNodes.forEach(ClusterLocks::close);

      String report = Report.markdown(results, pgVersion, THREADS, WORK_NANOS);
      System.out.println(report);
      Report.write(out, report);
      System.out.println("Written to " + out.toAbsolutePath());
    } finally {
      pools.forEach(HikariDataSource::close);
    }
  }

  /**
   * Uncontended rounds interleave the contenders (the first round is warm-up), so that warm-up and
   * background load on the shared machine fall on all of them alike; then one contention run each.
   */
  private List<Result> measure(List<IntFunction<Contender>> contenders) throws Exception {
    int n = contenders.size();
    Samples[] latency = new Samples[n];
    long[] timed = new long[n];
    for (int round = 0; round <= ROUNDS; round++) {
      for (int k = 0; k < n; k++) {
        Contender single = contenders.get(k).apply(0);
        if (round == 0) {
          System.out.printf(Locale.ROOT, "%s: warm-up%n", single.name());
          for (int i = 0; i < WARMUP; i++) single.release(single.acquire());
          latency[k] = new Samples();
          continue;
        }
        long start = System.nanoTime();
        for (int i = 0; i < UNCONTENDED / ROUNDS; i++) {
          long t0 = System.nanoTime();
          single.release(single.acquire());
          latency[k].add(System.nanoTime() - t0);
        }
        timed[k] += System.nanoTime() - start;
      }
    }
    List<Result> results = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      String name = contenders.get(k).apply(0).name();
      System.out.printf(Locale.ROOT, "%s: %d threads contending...%n", name, THREADS);
      Samples handoff = handoff(contenders.get(k));
      results.add(
          new Result(
              name,
              latency[k].percentileMillis(50),
              latency[k].percentileMillis(99),
              latency[k].size() / (timed[k] / 1e9),
              handoff.percentileMillis(50),
              handoff.percentileMillis(99),
              handoff.size()));
    }
    return results;
  }

  /**
   * Threads loop acquire, work, release, pause. A holder notes when it starts releasing; the next
   * holder, if it is another thread, records the time from that note to its own entry.
   */
  private Samples handoff(IntFunction<Contender> contenders) throws Exception {
    Samples samples = new Samples();
    AtomicInteger entries = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    // Set by each holder just before it releases; read by the next holder on entry.
    long[] releasedAt = {0};
    int[] releasedBy = {-1};
    CountDownLatch done = new CountDownLatch(THREADS);
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    long deadline = System.nanoTime() + HANDOFF_TIME_LIMIT_NANOS;
    for (int t = 0; t < THREADS; t++) {
      int me = t;
      Contender c = contenders.apply(t);
      Thread thread =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    Object held = c.acquire();
                    long entered = System.nanoTime();
                    synchronized (releasedAt) {
                      if (releasedBy[0] >= 0 && releasedBy[0] != me)
                        samples.add(entered - releasedAt[0]);
                    }
                    spin(WORK_NANOS);
                    if (entries.incrementAndGet() >= HANDOFFS || System.nanoTime() > deadline)
                      stop.set(true);
                    synchronized (releasedAt) {
                      releasedBy[0] = me;
                      releasedAt[0] = System.nanoTime();
                    }
                    c.release(held);
                    spin(WORK_NANOS);
                  }
                } catch (Throwable e) {
                  failures.add(e);
                  stop.set(true);
                } finally {
                  done.countDown();
                }
              },
              "bench-" + t);
      thread.start();
    }
    if (!done.await(5, TimeUnit.MINUTES)) throw new IllegalStateException("contention run hung");
    if (!failures.isEmpty()) throw new IllegalStateException("contender failed", failures.get(0));
    return samples;
  }

  private static void spin(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) Thread.onSpinWait();
  }

  private HikariDataSource pool(String url, int size) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setMaximumPoolSize(size);
    c.setMinimumIdle(size);
    HikariDataSource ds = new HikariDataSource(c);
    pools.add(ds);
    return ds;
  }
}
