package dev.baton.shedlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.locks.ClusterLocks;
import dev.baton.locks.InvalidLockArgumentException;
import dev.baton.locks.LockInfo;
import dev.baton.testing.TestDatabase;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ShedLock's documented provider behaviour, checked on a real database with several "nodes" (each
 * its own {@link ClusterLocks}, pool and {@link BatonLockProvider}). Holders are read back from the
 * {@code BATON_LOCKS} table. One small subclass per database; the same compiled classes run against
 * ShedLock 6.x here and 7.x in baton-shedlock-7x-test.
 */
public abstract class ShedLockContract {
  private static final Duration LONG = Duration.ofSeconds(30);

  protected TestDatabase db;
  private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

  protected abstract TestDatabase newDatabase();

  /** Fails when the ShedLock on the classpath is not the line this module is meant to test. */
  @BeforeAll
  static void shedLockVersionIsTheExpectedOne() throws Exception {
    String version = shedLockVersion();
    System.out.println("ShedLock on the classpath: " + version);
    String expected = System.getProperty("baton.expectedShedLock", "");
    assertThat(version).as("shedlock-core version").startsWith(expected);
  }

  static String shedLockVersion() throws Exception {
    URL jar = LockProvider.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader only = new URLClassLoader(new URL[] {jar}, null);
        InputStream in =
            only.getResourceAsStream(
                "META-INF/maven/net.javacrumbs.shedlock/shedlock-core/pom.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    }
  }

  @BeforeEach
  void setUp() {
    db = newDatabase();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables) c.close();
    if (db != null) db.close();
  }

  BatonLockProvider node(String id) {
    ClusterLocks locks = ClusterLocks.builder(db.pool(4)).nodeId(id).build();
    closeables.add(locks);
    return new BatonLockProvider(locks);
  }

  static LockConfiguration config(String name, Duration atMost, Duration atLeast) {
    return new LockConfiguration(Instant.now(), name, atMost, atLeast);
  }

  /** The lock's row as the table holds it (expired or not): owner node and token; null if none. */
  record Row(String ownerNode, long fencingToken) {}

  Row row(String name) throws Exception {
    DataSource ds = db.pool(1);
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT OWNER_NODE, FENCING_TOKEN FROM QRTZ_BATON_LOCKS WHERE LOCK_NAME = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Row(rs.getString(1), rs.getLong(2)) : null;
      }
    }
  }

  @Test
  void lockIsWrittenWithTheNodeAsOwnerAndUnlockFreesIt() throws Exception {
    BatonLockProvider a = node("node-a");
    BatonLockProvider b = node("node-b");

    SimpleLock lock = a.lock(config("report", LONG, Duration.ZERO)).orElseThrow();
    long token = ((BatonLock) lock).fencingToken();
    assertThat(row("report")).isEqualTo(new Row("node-a", token));
    LockInfo info = a.clusterLocks().holder("report").orElseThrow();
    assertThat(info.ownerNode()).isEqualTo("node-a");
    assertThat(Duration.between(info.acquiredAt(), info.expiresAt()))
        .as("lockAtMostFor is the lease")
        .isEqualTo(LONG);
    assertThat(b.clusterLocks().held()).as("what /api/locks lists").containsExactly(info);

    lock.unlock();
    assertThat(a.clusterLocks().holder("report")).isEmpty();
    SimpleLock next = b.lock(config("report", LONG, Duration.ZERO)).orElseThrow();
    assertThat(((BatonLock) next).fencingToken()).isGreaterThan(token);
    assertThat(row("report")).isEqualTo(new Row("node-b", ((BatonLock) next).fencingToken()));
    next.unlock();
  }

  @Test
  void busyLockReturnsEmptyAtOnceOnEveryNodeAndThread() throws Exception {
    BatonLockProvider a = node("node-a");
    BatonLockProvider b = node("node-b");
    SimpleLock held = a.lock(config("busy", LONG, Duration.ZERO)).orElseThrow();

    long started = System.nanoTime();
    assertThat(b.lock(config("busy", LONG, Duration.ZERO))).as("other node").isEmpty();
    assertThat(a.lock(config("busy", LONG, Duration.ZERO))).as("same node, same thread").isEmpty();
    assertThat(
            CompletableFuture.supplyAsync(() -> a.lock(config("busy", LONG, Duration.ZERO)))
                .get(10, TimeUnit.SECONDS))
        .as("same node, other thread")
        .isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("no waiting")
        .isLessThan(Duration.ofSeconds(5));
    assertThat(row("busy").ownerNode()).isEqualTo("node-a");

    held.unlock();
    assertThatThrownBy(held::unlock).isInstanceOf(IllegalStateException.class);
    assertThat(b.lock(config("busy", LONG, Duration.ZERO))).isPresent();
  }

  @Test
  void lockAtMostForRunningOutFreesTheLock() throws Exception {
    BatonLockProvider a = node("node-a");
    BatonLockProvider b = node("node-b");
    SimpleLock crashed =
        a.lock(config("expiring", Duration.ofSeconds(1), Duration.ZERO)).orElseThrow();
    LockInfo first = a.clusterLocks().holder("expiring").orElseThrow();
    assertThat(b.lock(config("expiring", LONG, Duration.ZERO))).isEmpty();

    AtomicReference<SimpleLock> taken = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              b.lock(config("expiring", LONG, Duration.ZERO)).ifPresent(taken::set);
              return taken.get() != null;
            });
    LockInfo second = b.clusterLocks().holder("expiring").orElseThrow();
    assertThat(second.acquiredAt())
        .as("taken only after the lease ran out (database clock)")
        .isAfterOrEqualTo(first.expiresAt());
    assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());

    crashed.unlock(); // the old holder wakes up and unlocks: must not free the new holder's lock
    assertThat(row("expiring")).isEqualTo(new Row("node-b", second.fencingToken()));
    assertThat(a.lock(config("expiring", LONG, Duration.ZERO))).isEmpty();
    taken.get().unlock();
  }

  @Test
  void lockAtLeastForKeepsTheLockAfterAnEarlyUnlock() throws Exception {
    BatonLockProvider a = node("node-a");
    BatonLockProvider b = node("node-b");
    Duration atLeast = Duration.ofMillis(1500);
    SimpleLock lock = a.lock(config("atleast", LONG, atLeast)).orElseThrow();
    long token = ((BatonLock) lock).fencingToken();

    lock.unlock();
    LockInfo kept = b.clusterLocks().holder("atleast").orElseThrow();
    assertThat(kept.fencingToken()).isEqualTo(token);
    assertThat(Duration.between(kept.acquiredAt(), kept.expiresAt()))
        .as("kept until acquisition + lockAtLeastFor, not lockAtMostFor")
        .isBetween(atLeast.minusMillis(250), atLeast.plusSeconds(3));
    assertThat(b.lock(config("atleast", LONG, Duration.ZERO))).as("other node").isEmpty();
    assertThat(a.lock(config("atleast", LONG, Duration.ZERO))).as("same node and thread").isEmpty();

    AtomicReference<SimpleLock> taken = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              b.lock(config("atleast", LONG, Duration.ZERO)).ifPresent(taken::set);
              return taken.get() != null;
            });
    assertThat(b.clusterLocks().holder("atleast").orElseThrow().acquiredAt())
        .isAfterOrEqualTo(kept.expiresAt());
    taken.get().unlock();
  }

  @Test
  void unlockAfterLockAtLeastForReleasesAtOnce() throws Exception {
    BatonLockProvider a = node("node-a");
    BatonLockProvider b = node("node-b");
    long started = System.nanoTime();
    SimpleLock lock = a.lock(config("passed", LONG, Duration.ofMillis(300))).orElseThrow();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(400));

    lock.unlock();
    assertThat(a.clusterLocks().holder("passed")).isEmpty();
    assertThat(b.lock(config("passed", LONG, Duration.ZERO))).isPresent();
  }

  @Test
  void extendMovesTheLeaseAndReplacesTheLock() throws Exception {
    BatonLockProvider a = node("node-a");
    BatonLockProvider b = node("node-b");
    long started = System.nanoTime();
    SimpleLock first =
        a.lock(config("extended", Duration.ofSeconds(1), Duration.ZERO)).orElseThrow();

    SimpleLock second = first.extend(LONG, Duration.ZERO).orElseThrow();
    assertThatThrownBy(first::unlock)
        .as("old lock invalid")
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> first.extend(LONG, Duration.ZERO))
        .isInstanceOf(IllegalStateException.class);
    LockInfo info = a.clusterLocks().holder("extended").orElseThrow();
    assertThat(Duration.between(info.acquiredAt(), info.expiresAt())).isGreaterThanOrEqualTo(LONG);
    assertThat(info.fencingToken()).isEqualTo(((BatonLock) second).fencingToken());

    // Past the original lockAtMostFor, the extended lock still keeps others out.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(1500));
    assertThat(b.lock(config("extended", LONG, Duration.ZERO))).isEmpty();
    assertThat(row("extended").ownerNode()).isEqualTo("node-a");

    // lockAtLeastFor of an extension counts from the extension.
    SimpleLock third = second.extend(LONG, Duration.ofSeconds(1)).orElseThrow();
    third.unlock();
    LockInfo kept = a.clusterLocks().holder("extended").orElseThrow();
    assertThat(kept.expiresAt()).isBefore(info.expiresAt());
    assertThat(b.lock(config("extended", LONG, Duration.ZERO))).isEmpty();
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> b.lock(config("extended", LONG, Duration.ZERO)).isPresent());

    assertThatThrownBy(
            () ->
                a.lock(config("x", LONG, Duration.ZERO))
                    .orElseThrow()
                    .extend(Duration.ofSeconds(1), Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void extendAfterTheLeaseRanOutFails() throws Exception {
    BatonLockProvider a = node("node-a");
    BatonLockProvider b = node("node-b");

    // Ran out, nobody took it: the extension must not bring it back.
    SimpleLock lapsed =
        a.lock(config("lapsed", Duration.ofMillis(500), Duration.ZERO)).orElseThrow();
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> a.clusterLocks().holder("lapsed").isEmpty());
    assertThat(lapsed.extend(LONG, Duration.ZERO)).isEmpty();
    assertThat(a.clusterLocks().holder("lapsed")).isEmpty();
    assertThatThrownBy(lapsed::unlock).isInstanceOf(IllegalStateException.class);

    // Ran out and another node took it: the extension fails and leaves the new holder alone.
    SimpleLock stale = a.lock(config("taken", Duration.ofMillis(500), Duration.ZERO)).orElseThrow();
    AtomicReference<SimpleLock> taken = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              b.lock(config("taken", LONG, Duration.ZERO)).ifPresent(taken::set);
              return taken.get() != null;
            });
    assertThat(stale.extend(LONG, Duration.ZERO)).isEmpty();
    assertThat(row("taken")).isEqualTo(new Row("node-b", ((BatonLock) taken.get()).fencingToken()));
    assertThat(b.clusterLocks().holder("taken")).isPresent();
  }

  @Test
  void lockingTaskExecutorRunsTheTaskOnceWithItsFencingToken() throws Exception {
    BatonLockProvider a = node("node-a");
    BatonLockProvider b = node("node-b");
    LockConfiguration cfg = config("executor", LONG, Duration.ZERO);
    AtomicReference<OptionalLong> seen = new AtomicReference<>();
    AtomicInteger otherRuns = new AtomicInteger();

    new DefaultLockingTaskExecutor(a)
        .executeWithLock(
            (Runnable)
                () -> {
                  seen.set(BatonLockProvider.fencingToken("executor"));
                  // Another thread: in the same thread ShedLock's executor treats the name as
                  // already held.
                  CompletableFuture.runAsync(
                          () ->
                              new DefaultLockingTaskExecutor(b)
                                  .executeWithLock((Runnable) otherRuns::incrementAndGet, cfg))
                      .join();
                },
            cfg);

    assertThat(otherRuns).as("the other node skipped it").hasValue(0);
    assertThat(seen.get()).isPresent();
    assertThat(seen.get().getAsLong()).isEqualTo(row("executor").fencingToken());
    assertThat(BatonLockProvider.fencingToken("executor")).as("after unlock").isEmpty();
    assertThat(a.clusterLocks().holder("executor")).isEmpty();
  }

  @Test
  void badNamesAndLeasesAreRefused() {
    BatonLockProvider a = node("node-a");
    assertThatThrownBy(() -> a.lock(config("x".repeat(191), LONG, Duration.ZERO)))
        .isInstanceOf(InvalidLockArgumentException.class);
    assertThatThrownBy(() -> a.lock(config("zero", Duration.ZERO, Duration.ZERO)))
        .isInstanceOf(InvalidLockArgumentException.class);
  }

  /**
   * Four nodes, two threads each, contend for one lock. Whoever gets it checks, while holding it,
   * that the table names it as the holder and that nobody else is inside; tokens of successive
   * holders increase.
   */
  @Test
  void contendingNodesNeverHoldTheLockTogether() throws Exception {
    List<BatonLockProvider> nodes = new ArrayList<>();
    for (int i = 0; i < 4; i++) nodes.add(node("node-" + i));
    AtomicReference<String> inside = new AtomicReference<>();
    List<Long> tokens = new CopyOnWriteArrayList<>();
    Set<String> winners = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<String> problems = new CopyOnWriteArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        BatonLockProvider node = nodes.get(t % 4);
        String me = node.clusterLocks().nodeId() + "/" + t;
        boolean atLeast = t % 2 == 1;
        workers.add(
            pool.submit(
                () -> {
                  while (System.nanoTime() < deadline && tokens.size() < 60) {
                    Optional<SimpleLock> got =
                        node.lock(
                            config(
                                "contended",
                                LONG,
                                atLeast ? Duration.ofMillis(20) : Duration.ZERO));
                    if (got.isEmpty()) continue;
                    BatonLock lock = (BatonLock) got.get();
                    if (!inside.compareAndSet(null, me))
                      problems.add(me + " entered while " + inside.get() + " was inside");
                    Row row = row("contended");
                    Row expected = new Row(node.clusterLocks().nodeId(), lock.fencingToken());
                    if (!expected.equals(row))
                      problems.add(me + " holds " + expected + " but the table has " + row);
                    tokens.add(lock.fencingToken());
                    winners.add(node.clusterLocks().nodeId());
                    inside.compareAndSet(me, null);
                    lock.unlock();
                  }
                  return null;
                }));
      }
      for (Future<?> w : workers) w.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(problems).isEmpty();
    assertThat(tokens).as("acquisitions").hasSizeGreaterThanOrEqualTo(10);
    assertThat(new HashSet<>(tokens)).hasSameSizeAs(tokens);
    assertThat(tokens).as("tokens in acquisition order").isSorted();
    assertThat(winners).as("nodes that got it").hasSizeGreaterThan(1);
  }
}
