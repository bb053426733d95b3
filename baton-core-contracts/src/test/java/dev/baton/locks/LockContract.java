package dev.baton.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.history.Execution;
import dev.baton.history.HistoryQuery;
import dev.baton.history.Outcome;
import dev.baton.scheduling.Task;
import dev.baton.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;

/**
 * The cluster-lock behaviour every supported database must show, with several "nodes" (each its own
 * {@link ClusterLocks} and pool) on one real database. One small subclass per database; the
 * multi-process tests live in {@link LockProcessesContract}.
 */
abstract class LockContract {
  protected TestDatabase db;
  private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();

  protected abstract TestDatabase newDatabase();

  @BeforeEach
  void setUp() {
    db = newDatabase();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables) c.close();
    if (db != null) db.close();
  }

  ClusterLocks node(String id) {
    return node(id, b -> b);
  }

  ClusterLocks node(String id, java.util.function.UnaryOperator<ClusterLocksBuilder> options) {
    ClusterLocks locks = options.apply(ClusterLocks.builder(db.pool(8)).nodeId(id)).build();
    closeables.add(locks);
    return locks;
  }

  private static final Duration LONG = Duration.ofSeconds(30);

  @Test
  void acquireShowsTheHolderAndReleaseFreesTheLock() {
    ClusterLocks a = node("a");
    ClusterLock lock = a.tryAcquire("report", LONG).orElseThrow();

    assertThat(lock.name()).isEqualTo("report");
    assertThat(lock.isHeld()).isTrue();
    LockInfo info = a.holder("report").orElseThrow();
    assertThat(info.ownerNode()).isEqualTo("a");
    assertThat(info.ownerThread()).isEqualTo(Thread.currentThread().getName());
    assertThat(info.fencingToken()).isEqualTo(lock.fencingToken());
    assertThat(Duration.between(info.acquiredAt(), info.expiresAt())).isEqualTo(LONG);
    assertThat(a.held()).containsExactly(info);

    assertThat(lock.release()).isTrue();
    assertThat(lock.isHeld()).isFalse();
    assertThat(a.held()).isEmpty();
    assertThat(lock.release()).as("second release").isFalse();
  }

  @Test
  void busyLockIsRefusedAndTheWaitNamesTheHolder() {
    ClusterLocks a = node("a");
    ClusterLocks b = node("b");
    ClusterLock held = a.tryAcquire("busy", LONG).orElseThrow();

    assertThat(b.tryAcquire("busy", LONG)).isEmpty();
    assertThatThrownBy(() -> b.acquire("busy", LONG, Duration.ofMillis(300)))
        .isInstanceOfSatisfying(
            LockTimeoutException.class,
            e -> {
              assertThat(e.lockName()).isEqualTo("busy");
              assertThat(e.holder().ownerNode()).isEqualTo("a");
              assertThat(e.holder().fencingToken()).isEqualTo(held.fencingToken());
              assertThat(e.getMessage()).contains("'busy'", "node a", "maxWait");
            });
    assertThatThrownBy(() -> b.withLock("busy", LockOptions.lease(LONG), l -> "ran"))
        .isInstanceOf(LockTimeoutException.class);
  }

  @Test
  void waiterGetsTheLockWhenItIsReleased() throws Exception {
    ClusterLocks a = node("a");
    ClusterLocks b = node("b");
    ClusterLock first = a.tryAcquire("handoff", LONG).orElseThrow();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<ClusterLock> waiting = pool.submit(() -> b.acquire("handoff", LONG, LONG));
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> !waiting.isDone());
      assertThat(first.release()).isTrue();
      ClusterLock second = waiting.get(10, TimeUnit.SECONDS);
      assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
      assertThat(a.holder("handoff").orElseThrow().ownerNode()).isEqualTo("b");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tokensIncreaseThroughReleaseAndExpiryTakeover() {
    ClusterLocks a = node("a");
    ClusterLocks b = node("b");
    ClusterLock first = a.tryAcquire("t", LONG).orElseThrow();
    long t1 = first.fencingToken();
    assertThat(first.release()).isTrue();
    ClusterLock second = a.tryAcquire("t", Duration.ofSeconds(1)).orElseThrow();
    long t2 = second.fencingToken();
    LockInfo expiring = b.holder("t").orElseThrow();

    ClusterLock third = b.acquire("t", LONG, Duration.ofSeconds(10));

    assertThat(t2).isGreaterThan(t1);
    assertThat(third.fencingToken()).isGreaterThan(t2);
    LockInfo now = b.holder("t").orElseThrow();
    assertThat(now.acquiredAt())
        .as("taken only once the lease ran out (database clock)")
        .isAfterOrEqualTo(expiring.expiresAt());
  }

  @Test
  void staleHolderCannotRenewOrRelease() {
    ClusterLocks a = node("a");
    ClusterLocks b = node("b");
    ClusterLock stale = a.tryAcquire("stale", Duration.ofSeconds(1)).orElseThrow();
    ClusterLock taker = b.acquire("stale", LONG, Duration.ofSeconds(10));

    assertThatThrownBy(stale::renew)
        .isInstanceOfSatisfying(
            LockLostException.class,
            e -> {
              assertThat(e.lockName()).isEqualTo("stale");
              assertThat(e.fencingToken()).isEqualTo(stale.fencingToken());
              assertThat(e.nodeId()).isEqualTo("a");
              assertThat(e.currentHolder().ownerNode()).isEqualTo("b");
              assertThat(e.currentHolder().fencingToken()).isEqualTo(taker.fencingToken());
            });
    assertThat(stale.release()).isFalse();
    assertThat(stale.isHeld()).isFalse();
    assertThat(taker.isHeld()).as("the stale release left the new holder alone").isTrue();
  }

  @Test
  void renewWithAnotherLeaseMovesTheExpiryBothWays() {
    ClusterLocks a = node("a");
    ClusterLock lock = a.tryAcquire("relet", Duration.ofSeconds(2)).orElseThrow();

    lock.renew(Duration.ofMinutes(10));
    LockInfo longer = a.holder("relet").orElseThrow();
    assertThat(Duration.between(longer.acquiredAt(), longer.expiresAt()))
        .isGreaterThanOrEqualTo(Duration.ofMinutes(10));
    assertThat(lock.lease())
        .as("the handle's own lease is unchanged")
        .isEqualTo(Duration.ofSeconds(2));

    lock.renew(Duration.ofSeconds(1));
    LockInfo shorter = a.holder("relet").orElseThrow();
    assertThat(shorter.expiresAt()).isBefore(longer.expiresAt());
    assertThatThrownBy(() -> lock.renew(Duration.ZERO))
        .isInstanceOf(InvalidLockArgumentException.class);

    ClusterLock next = node("b").acquire("relet", LONG, Duration.ofSeconds(10));
    assertThat(next.fencingToken()).isGreaterThan(lock.fencingToken());
    assertThatThrownBy(() -> lock.renew(Duration.ofMinutes(1)))
        .isInstanceOf(LockLostException.class);
    assertThat(next.isHeld()).isTrue();
  }

  @Test
  void releaseAfterKeepsEveryoneOutForTheRest() {
    ClusterLocks a = node("a");
    ClusterLocks b = node("b");
    ClusterLock lock = a.tryAcquire("kept", LONG).orElseThrow();

    assertThat(lock.releaseAfter(Duration.ofSeconds(1))).isTrue();
    LockInfo kept = b.holder("kept").orElseThrow();
    assertThat(kept.fencingToken()).isEqualTo(lock.fencingToken());
    assertThat(Duration.between(kept.acquiredAt(), kept.expiresAt())).isLessThan(LONG);
    assertThat(b.tryAcquire("kept", LONG)).as("other node").isEmpty();
    assertThat(a.tryAcquire("kept", LONG)).as("same thread, no re-entry error").isEmpty();
    assertThat(lock.release()).as("the handle counts as released").isFalse();

    ClusterLock next = b.acquire("kept", LONG, Duration.ofSeconds(10));
    assertThat(b.holder("kept").orElseThrow().acquiredAt()).isAfterOrEqualTo(kept.expiresAt());
    assertThat(next.fencingToken()).isGreaterThan(lock.fencingToken());
    assertThat(lock.releaseAfter(Duration.ofSeconds(1))).as("stale").isFalse();
    assertThat(next.releaseAfter(Duration.ZERO)).as("zero releases now").isTrue();
    assertThat(b.holder("kept")).isEmpty();
  }

  @Test
  void renewalKeepsALongBodysLockPastItsLease() {
    ClusterLocks a = node("a");
    ClusterLocks b = node("b");
    String result =
        a.withLock(
            "long",
            LockOptions.lease(Duration.ofSeconds(1)),
            lock -> {
              // Three leases long; the other node must never get in meanwhile.
              await()
                  .during(Duration.ofSeconds(3))
                  .atMost(Duration.ofSeconds(5))
                  .until(() -> b.tryAcquire("long", LONG).isEmpty());
              assertThat(lock.isHeld()).isTrue();
              return "done " + lock.fencingToken();
            });
    assertThat(result).startsWith("done ");
    assertThat(b.tryAcquire("long", LONG)).as("released after the body").isPresent();
  }

  @Test
  void lostLeaseReachesTheHolderAndInterruptsIt() {
    ClusterLocks a = node("a");
    ClusterLocks admin = node("admin");
    AtomicReference<LockLostException> reported = new AtomicReference<>();
    AtomicReference<Boolean> interrupted = new AtomicReference<>(false);
    LockOptions options =
        LockOptions.lease(Duration.ofSeconds(3))
            .renewEvery(Duration.ofMillis(200))
            .onLost(reported::set)
            .interruptOnLoss(true);

    assertThatThrownBy(
            () ->
                a.withLock(
                    "lost",
                    options,
                    lock -> {
                      assertThat(admin.forceRelease("lost")).isPresent();
                      try {
                        new CountDownLatch(1).await(20, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        interrupted.set(true);
                      }
                      return "finished";
                    }))
        .isInstanceOf(LockLostException.class);

    assertThat(interrupted.get()).as("body interrupted").isTrue();
    assertThat(reported.get()).isNotNull();
    assertThat(reported.get().lockName()).isEqualTo("lost");
    assertThat(reported.get().nodeId()).isEqualTo("a");
    assertThat(admin.tryAcquire("lost", LONG)).isPresent();
  }

  @Test
  void expiredRowsAreReusedAndPurgedWhileTokensKeepIncreasing() throws SQLException {
    ClusterLocks a = node("a", b -> b.expiredRowRetention(Duration.ZERO));
    long last = 0;
    for (int i = 0; i < 5; i++) {
      ClusterLock lock = a.tryAcquire("reused", LONG).orElseThrow();
      assertThat(lock.fencingToken()).isGreaterThan(last);
      last = lock.fencingToken();
      assertThat(lock.release()).isTrue();
    }
    assertThat(rows("reused")).as("one row per name, reused").isEqualTo(1);

    await().atMost(Duration.ofSeconds(5)).until(() -> a.purgeExpired() >= 0 && rows("reused") == 0);
    ClusterLock recreated = a.tryAcquire("reused", LONG).orElseThrow();
    assertThat(recreated.fencingToken()).isGreaterThan(last);
    // A held lock is never purged.
    a.purgeExpired();
    assertThat(rows("reused")).isEqualTo(1);
  }

  @Test
  void badArgumentsAreRefusedWithTheValueAndTheFix() {
    ClusterLocks a = node("a");
    for (String bad : new String[] {null, "", "   ", "x".repeat(191), "a\nb"}) {
      assertThatThrownBy(() -> a.tryAcquire(bad, LONG))
          .isInstanceOfSatisfying(
              InvalidLockArgumentException.class, e -> assertThat(e.argument()).isEqualTo("name"));
    }
    assertThat(a.tryAcquire("x".repeat(190), LONG)).isPresent();
    assertThatThrownBy(() -> a.tryAcquire("ok", Duration.ZERO))
        .isInstanceOfSatisfying(
            InvalidLockArgumentException.class,
            e -> {
              assertThat(e.argument()).isEqualTo("lease");
              assertThat(e.getMessage()).contains("'ok'", "PT0S", "at least 1 ms");
            });
    assertThatThrownBy(() -> a.tryAcquire("ok", Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidLockArgumentException.class);
    assertThatThrownBy(() -> a.acquire("ok", LONG, Duration.ofMillis(-1)))
        .isInstanceOfSatisfying(
            InvalidLockArgumentException.class, e -> assertThat(e.argument()).isEqualTo("maxWait"));
    assertThatThrownBy(
            () -> LockOptions.lease(Duration.ofSeconds(3)).renewEvery(Duration.ofSeconds(2)))
        .isInstanceOfSatisfying(
            InvalidLockArgumentException.class,
            e -> assertThat(e.argument()).isEqualTo("renewEvery"));
    assertThatThrownBy(() -> ClusterLocks.builder(db.pool(1)).nodeId("bad id").build())
        .isInstanceOfSatisfying(
            InvalidLockArgumentException.class, e -> assertThat(e.argument()).isEqualTo("nodeId"));
    assertThat(a.held()).extracting(LockInfo::name).containsExactly("x".repeat(190));
  }

  @Test
  void locksAreNotReentrant() throws Exception {
    ClusterLocks a = node("a");
    ClusterLock held = a.tryAcquire("once", LONG).orElseThrow();

    assertThatThrownBy(() -> a.acquire("once", LONG, LONG))
        .isInstanceOfSatisfying(
            LockReentryException.class,
            e -> {
              assertThat(e.heldToken()).isEqualTo(held.fencingToken());
              assertThat(e.getMessage()).contains("not re-entrant", "'once'");
            });
    assertThatThrownBy(() -> a.withLock("once", LockOptions.lease(LONG), l -> 1))
        .isInstanceOf(LockReentryException.class);
    // Another thread of the same node simply finds it busy.
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      assertThat(other.submit(() -> a.tryAcquire("once", LONG)).get()).isEmpty();
    } finally {
      other.shutdownNow();
    }
    held.release();
    assertThat(a.tryAcquire("once", LONG)).isPresent();
  }

  @Test
  void manyThreadsOnTwoNodesNeverOverlapAndTokensIncrease() throws Exception {
    db.execute(LockContender.SharedResource.DDL);
    List<ClusterLocks> nodes = List.of(node("a"), node("b"));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> done = new ArrayList<>();
      LockOptions options =
          LockOptions.lease(Duration.ofSeconds(10)).maxWait(Duration.ofSeconds(60));
      for (int t = 0; t < 6; t++) {
        ClusterLocks locks = nodes.get(t % 2);
        DataSource ds = db.pool(2);
        String who = locks.nodeId() + "-" + t;
        done.add(
            pool.submit(
                () -> {
                  LockContender.SharedResource resource = new LockContender.SharedResource(ds);
                  for (int i = 0; i < 10; i++) {
                    locks.withLock(
                        "shared",
                        options,
                        l -> {
                          resource.enter(who, l.fencingToken());
                          resource.exit(who, l.fencingToken());
                          return null;
                        });
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) f.get(120, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertNoOverlapAndIncreasingTokens(db, 60);
  }

  @Test
  void taskUnderLockGetsItsTokenAndIsVetoedWhileTheLockIsBusy() throws Exception {
    LockedTaskJob.clear();
    Baton node =
        Baton.builder(db.pool(10))
            .nodeId("n1")
            .threads(2)
            .idleWait(Duration.ofMillis(200))
            .drainTimeout(Duration.ofSeconds(5))
            .task(
                Task.named("locked")
                    .every(Duration.ofMillis(300))
                    .runs(LockedTaskJob.class)
                    .underLock("task-lock", Duration.ofSeconds(10))
                    .build())
            .start();
    closeables.add(node);
    List<String> vetoes = new CopyOnWriteArrayList<>();
    node.quartz()
        .getListenerManager()
        .addJobListener(
            new JobListener() {
              @Override
              public String getName() {
                return "test-vetoes";
              }

              @Override
              public void jobToBeExecuted(JobExecutionContext ctx) {}

              @Override
              public void jobExecutionVetoed(JobExecutionContext ctx) {
                vetoes.add((String) ctx.get(Task.VETO_REASON));
              }

              @Override
              public void jobWasExecuted(JobExecutionContext ctx, JobExecutionException e) {}
            });

    await().atMost(Duration.ofSeconds(20)).until(() -> LockedTaskJob.tokens().size() >= 2);
    List<Long> tokens = LockedTaskJob.tokens();
    assertThat(tokens.get(1)).isGreaterThan(tokens.get(0));

    ClusterLocks other = node("other");
    ClusterLock held = other.acquire("task-lock", LONG, Duration.ofSeconds(10));
    int ranBefore = LockedTaskJob.tokens().size();
    await().atMost(Duration.ofSeconds(20)).until(() -> vetoes.size() >= 2);
    assertThat(vetoes.get(0))
        .isEqualTo("lock 'task-lock' held by other (token " + held.fencingToken() + ")");
    assertThat(LockedTaskJob.tokens()).hasSize(ranBefore);

    held.release();
    await().atMost(Duration.ofSeconds(20)).until(() -> LockedTaskJob.tokens().size() > ranBefore);
    assertThat(LockedTaskJob.tokens().get(ranBefore)).isGreaterThan(held.fencingToken());

    // The history, written by the scheduler, carries the same token and the veto's reason.
    List<Long> ran = List.copyOf(LockedTaskJob.tokens());
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              List<Execution> entries =
                  node.history().query(HistoryQuery.all().task("locked").limit(1000)).entries();
              assertThat(
                      entries.stream()
                          .filter(e -> e.outcome() == Outcome.SUCCEEDED)
                          .map(Execution::fencingToken))
                  .containsAll(ran);
              assertThat(entries.stream().filter(e -> e.outcome() == Outcome.VETOED))
                  .isNotEmpty()
                  .allSatisfy(
                      e -> {
                        assertThat(e.fencingToken()).isNull();
                        assertThat(e.message())
                            .isEqualTo(
                                "lock 'task-lock' held by other (token "
                                    + held.fencingToken()
                                    + ")");
                      });
            });
  }

  @Test
  void closingTheNodeReleasesItsLocks() {
    Baton node = Baton.builder(db.pool(10)).nodeId("closing").threads(1).start();
    closeables.add(node);
    ClusterLock held = node.locks().tryAcquire("node-lock", LONG).orElseThrow();
    assertThat(node.locks().nodeId()).isEqualTo("closing");
    ClusterLocks other = node("other");
    assertThat(other.tryAcquire("node-lock", LONG)).isEmpty();

    node.close();

    assertThat(held.isHeld()).isFalse();
    ClusterLock next = other.tryAcquire("node-lock", LONG).orElseThrow();
    assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
  }

  private int rows(String name) throws SQLException {
    try (Connection c = db.pool(1).getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM QRTZ_BATON_LOCKS WHERE LOCK_NAME = '" + name + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Reads LOCK_LOG: ENTER/EXIT alternate with one token each, tokens strictly increase, no OVERLAP.
   */
  static void assertNoOverlapAndIncreasingTokens(TestDatabase db, int expectedEntries)
      throws SQLException {
    List<String[]> log = new ArrayList<>();
    try (Connection c = db.pool(1).getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT SEQ, NODE, TOKEN, EVENT FROM LOCK_LOG ORDER BY SEQ")) {
      while (rs.next())
        log.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
    }
    assertThat(log).as("entries and exits").hasSize(expectedEntries * 2);
    long lastToken = Long.MIN_VALUE;
    for (int i = 0; i < log.size(); i += 2) {
      String[] enter = log.get(i);
      String[] exit = log.get(i + 1);
      assertThat(enter[3]).as("event %s", enter[0]).isEqualTo("ENTER");
      assertThat(exit[3]).as("event %s", exit[0]).isEqualTo("EXIT");
      assertThat(exit[1]).as("exit %s by the one who entered", exit[0]).isEqualTo(enter[1]);
      assertThat(exit[2]).isEqualTo(enter[2]);
      long token = Long.parseLong(enter[2]);
      assertThat(token).as("token at %s", enter[0]).isGreaterThan(lastToken);
      lastToken = token;
    }
  }

  /** Records the fencing token Baton put in the context. */
  public static final class LockedTaskJob implements org.quartz.Job {
    private static final List<Long> TOKENS = new CopyOnWriteArrayList<>();

    static void clear() {
      TOKENS.clear();
    }

    static List<Long> tokens() {
      return new ArrayList<>(TOKENS);
    }

    @Override
    public void execute(JobExecutionContext ctx) {
      TOKENS.add((Long) ctx.get(Task.FENCING_TOKEN));
    }
  }
}
