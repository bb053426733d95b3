package dev.baton.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.baton.Baton;
import dev.baton.internal.QuartzTasks;
import dev.baton.internal.WorkerPool;
import dev.baton.testing.Recorder;
import dev.baton.testing.RecordingJob;
import dev.baton.testing.TestDatabase;
import dev.baton.testing.TestNodes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobDetail;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.listeners.SchedulerListenerSupport;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;
import org.quartz.spi.TriggerFiredResult;
import org.slf4j.LoggerFactory;

/**
 * Races of the fast lane ({@link FastLane}): concurrent claims, management operations between a
 * claim and its firing, the ABA of a trigger claimed again elsewhere, a drain under management
 * churn with a tiny misfire threshold, and the mixed-version gate. Invariants are read from the
 * database. Where a test must stop between claim and fire it drives {@link BatonJobStore} itself on
 * {@link ManualNode}s, whose Quartz scheduler thread never runs. One subclass per database.
 */
abstract class FastLaneRaceContract {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String RUNS = "OUTCOME IN ('SUCCEEDED', 'FAILED', 'RUNNING', 'ABANDONED')";

  private TestDatabase db;
  private TestNodes nodes;
  private DataSource probe;
  private final List<ManualNode> manual = new ArrayList<>();

  protected abstract TestDatabase newDatabase();

  @BeforeEach
  void setUp() {
    Recorder.clear();
    db = newDatabase();
    nodes = new TestNodes(db);
    probe = db.pool(2);
  }

  @AfterEach
  void tearDown() {
    manual.forEach(ManualNode::close);
    if (nodes != null) nodes.close();
    if (db != null) db.close();
  }

  // 1. Concurrent claims.

  /**
   * Three nodes, three threads each, claim (and fire) ~2,000 due one-shots until none is left,
   * while another transaction holds {@code TRIGGER_ACCESS} all along, so that only claims that
   * really bypass the cluster lock can make progress: no trigger is held by two claims at once, no
   * fire instance is reused, and together the claims fire every due trigger exactly once (a claim
   * that does not fire is released, as Quartz does, and claimed again).
   */
  @Test
  void concurrentClaimsOfManyNodesAreDisjointAndCoverEveryDueTrigger() throws Exception {
    int shots = 2_000;
    List<ManualNode> three = manualCluster("a", "b", "c");
    Instant due = Instant.now();
    Map<JobDetail, Set<? extends Trigger>> jobs = new HashMap<>();
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < shots; i++) {
      Task t = once("shot-" + i, due);
      jobs.put(
          QuartzTasks.job(t, RecordingJob.class),
          Set.of(QuartzTasks.trigger(t, null, System.currentTimeMillis())));
      expected.add(t.name());
    }
    three.get(0).quartz.scheduleJobs(jobs, true);

    Set<String> outstanding = ConcurrentHashMap.newKeySet();
    Queue<String> overlapping = new ConcurrentLinkedQueue<>();
    Queue<String> firedKeys = new ConcurrentLinkedQueue<>();
    Queue<String> fireIds = new ConcurrentLinkedQueue<>();
    Queue<String> unfired = new ConcurrentLinkedQueue<>();
    Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    Map<String, Integer> byNode = new ConcurrentHashMap<>();
    int threadsPerNode = 3;
    ExecutorService pool = Executors.newFixedThreadPool(three.size() * threadsPerNode);
    CountDownLatch done = new CountDownLatch(three.size() * threadsPerNode);
    try (Connection holder = db.pool(1).getConnection()) {
      holder.setAutoCommit(false);
      try (PreparedStatement ps =
              holder.prepareStatement(
                  "SELECT LOCK_NAME FROM QRTZ_LOCKS WHERE SCHED_NAME = 'baton' AND LOCK_NAME ="
                      + " 'TRIGGER_ACCESS' FOR UPDATE");
          ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("TRIGGER_ACCESS row").isTrue();
      }
      try {
        for (ManualNode node : three) {
          for (int i = 0; i < threadsPerNode; i++) {
            pool.execute(
                () -> {
                  try {
                    while (true) {
                      List<OperableTrigger> got =
                          node.store.acquireNextTriggers(System.currentTimeMillis() + 1_000, 10, 0);
                      if (got.isEmpty()) {
                        if (count(
                                "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME LIKE"
                                    + " 'shot-%' AND TRIGGER_STATE = 'WAITING'")
                            == 0) {
                          return;
                        }
                        Thread.onSpinWait();
                        continue;
                      }
                      byNode.merge(node.id, got.size(), Integer::sum);
                      for (OperableTrigger t : got) {
                        // Two outstanding claims on one trigger at once: claims were not disjoint.
                        if (!outstanding.add(t.getKey().getName()))
                          overlapping.add(t.getKey().getName());
                        fireIds.add(t.getFireInstanceId());
                      }
                      List<TriggerFiredResult> results = node.store.triggersFired(got);
                      for (int k = 0; k < got.size(); k++) {
                        OperableTrigger t = got.get(k);
                        TriggerFiredResult r = results.get(k);
                        if (r.getException() != null) {
                          errors.add(r.getException());
                        } else if (r.getTriggerFiredBundle() == null) {
                          // Not fired: released, as Quartz does, before anyone can claim it again.
                          unfired.add(t.getKey().getName());
                          outstanding.remove(t.getKey().getName());
                          node.store.releaseAcquiredTrigger(t);
                        } else {
                          firedKeys.add(t.getKey().getName());
                          outstanding.remove(t.getKey().getName());
                        }
                      }
                    }
                  } catch (Throwable e) {
                    errors.add(e);
                  } finally {
                    done.countDown();
                  }
                });
          }
        }
        assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS))
            .as(
                "claimers finished while TRIGGER_ACCESS was held elsewhere (errors so far: %s)",
                errors)
            .isTrue();
      } finally {
        holder.rollback();
        pool.shutdownNow();
      }
    }

    assertThat(errors).isEmpty();
    assertThat(overlapping).as("triggers claimed by two claims at once").isEmpty();
    assertThat(firedKeys).as("triggers fired").doesNotHaveDuplicates().hasSize(shots);
    assertThat(new HashSet<>(firedKeys)).isEqualTo(expected);
    System.out.printf(
        "%s: %d claims of %d were not fired (released and claimed again)%n",
        db.kind(), unfired.size(), fireIds.size());
    assertThat(fireIds).as("fire instances").doesNotHaveDuplicates();
    assertThat(byNode.keySet()).as("nodes that claimed").containsExactlyInAnyOrder("a", "b", "c");
    for (ManualNode n : three) assertThat(n.lane.isOn()).as("lane of %s", n.id).isTrue();
    // In the database: each one-shot fired once, by one entry.
    assertThat(
            count(
                "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME LIKE 'shot-%'"
                    + " AND TRIGGER_STATE <> 'COMPLETE'"))
        .isZero();
    assertThat(
            count(
                "SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE TRIGGER_NAME LIKE 'shot-%'"
                    + " AND STATE = 'EXECUTING'"))
        .isEqualTo(shots);
    assertThat(count("SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE TRIGGER_NAME LIKE 'shot-%'"))
        .isEqualTo(shots);
  }

  // 2. Management operations between claim and fire.

  /**
   * Four one-shots are claimed ahead of their fire time; then one is paused, one replaced (its time
   * changed), one rescheduled (Quartz's trigger replacement) and one removed. The stale claims must
   * not fire, their release must leave each trigger as the operation left it, and the replaced and
   * rescheduled ones then fire once each, at their new times, on a real node.
   */
  @Test
  void pauseReplaceRescheduleAndRemoveBetweenClaimAndFireWinOverTheStaleClaim() throws Exception {
    ManualNode a = manualCluster("a").get(0);
    Instant at = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
    List<String> names = List.of("paused", "replaced", "rescheduled", "removed");
    for (String n : names) a.scheduler.register(once(n, at));

    List<OperableTrigger> claimed =
        a.store.acquireNextTriggers(System.currentTimeMillis() + 15_000, 10, 0);
    assertThat(claimed)
        .extracting(t -> t.getKey().getName())
        .containsExactlyInAnyOrderElementsOf(names);
    for (OperableTrigger t : claimed) {
      assertThat(claimOf(t.getKey().getName()))
          .as("BATON_CLAIM of %s", t.getKey())
          .isEqualTo(t.getFireInstanceId());
      assertThat(stateOf(t.getKey().getName())).isEqualTo("ACQUIRED");
    }

    Instant replacedAt = at.plusSeconds(2);
    Instant rescheduledAt = replacedAt.plusMillis(500);
    a.scheduler.pause("paused");
    assertThat(a.scheduler.register(once("replaced", replacedAt))).isEqualTo(Registration.UPDATED);
    a.quartz.rescheduleJob(
        QuartzTasks.triggerKey("rescheduled"),
        QuartzTasks.trigger(once("rescheduled", rescheduledAt), null, System.currentTimeMillis()));
    assertThat(a.scheduler.unschedule("removed")).isTrue();

    List<TriggerFiredResult> results = fireWhenDue(a, claimed);
    for (int i = 0; i < claimed.size(); i++) {
      assertThat(results.get(i).getException()).isNull();
      assertThat(results.get(i).getTriggerFiredBundle())
          .as("stale claim of %s fired", claimed.get(i).getKey())
          .isNull();
    }
    for (OperableTrigger t : claimed) a.store.releaseAcquiredTrigger(t);

    assertThat(stateOf("paused")).isEqualTo("PAUSED");
    assertThat(stateOf("replaced")).isEqualTo("WAITING");
    assertThat(nextFireOf("replaced")).isEqualTo(replacedAt.toEpochMilli());
    assertThat(stateOf("rescheduled")).isEqualTo("WAITING");
    assertThat(nextFireOf("rescheduled")).isEqualTo(rescheduledAt.toEpochMilli());
    assertThat(stateOf("removed")).isNull();
    assertThat(count("SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS"))
        .as("fired-trigger entries left")
        .isZero();

    nodes.start("runner", b -> b);
    await()
        .atMost(WAIT)
        .until(() -> Recorder.of("replaced").size() == 1 && Recorder.of("rescheduled").size() == 1);
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Recorder.of("replaced").size() == 1
                    && Recorder.of("rescheduled").size() == 1
                    && Recorder.of("paused").isEmpty()
                    && Recorder.of("removed").isEmpty());
    assertThat(Recorder.of("replaced").get(0).scheduled()).isEqualTo(replacedAt);
    assertThat(Recorder.of("rescheduled").get(0).scheduled()).isEqualTo(rescheduledAt);
    assertThat(stateOf("paused")).isEqualTo("PAUSED");
    assertThat(
            count(
                "SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE TRIGGER_NAME IN ('paused',"
                    + " 'removed')"))
        .isZero();
  }

  // 3. ABA.

  /** Claimed on A, paused and resumed, claimed on B: A must not fire it, B fires it once. */
  @Test
  void aClaimStaleAfterPauseAndResumeDoesNotFireTheTriggerAnotherNodeClaimedSince()
      throws Exception {
    aba(false);
  }

  /** Claimed on A, replaced, claimed on B: A must not fire it, B fires it once. */
  @Test
  void aClaimStaleAfterReplaceDoesNotFireTheTriggerAnotherNodeClaimedSince() throws Exception {
    aba(true);
  }

  private void aba(boolean replace) throws Exception {
    List<ManualNode> two = manualCluster("a", "b");
    ManualNode a = two.get(0);
    ManualNode b = two.get(1);
    Instant at = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
    a.scheduler.register(once("aba", at));
    List<OperableTrigger> byA =
        a.store.acquireNextTriggers(System.currentTimeMillis() + 15_000, 1, 0);
    assertThat(byA).hasSize(1);

    Instant expected = at;
    if (replace) {
      expected = at.plusMillis(700);
      assertThat(a.scheduler.register(once("aba", expected))).isEqualTo(Registration.UPDATED);
    } else {
      a.scheduler.pause("aba");
      a.scheduler.resume("aba");
    }
    assertThat(stateOf("aba")).isEqualTo("WAITING");

    List<OperableTrigger> byB =
        b.store.acquireNextTriggers(System.currentTimeMillis() + 15_000, 1, 0);
    assertThat(byB).hasSize(1);
    String claimB = byB.get(0).getFireInstanceId();
    assertThat(claimB).isNotEqualTo(byA.get(0).getFireInstanceId());
    assertThat(claimOf("aba")).isEqualTo(claimB);

    // Both fire when B's claim is due, as their scheduler threads would (a firing asked for too
    // early is refused on the database's clock, which would hide what this test is about).
    long due = byB.get(0).getNextFireTime().getTime();
    await().atMost(WAIT).until(() -> System.currentTimeMillis() >= due);
    TriggerFiredResult staleOnA = a.store.triggersFired(byA).get(0);
    assertThat(staleOnA.getException()).isNull();
    assertThat(staleOnA.getTriggerFiredBundle()).as("A fired a trigger B claimed since").isNull();
    a.store.releaseAcquiredTrigger(byA.get(0));
    assertThat(stateOf("aba")).isEqualTo("ACQUIRED");
    assertThat(claimOf("aba")).as("A's release must leave B's claim").isEqualTo(claimB);
    assertThat(entries("aba")).containsExactly("b:ACQUIRED");

    TriggerFiredResult onB = b.store.triggersFired(byB).get(0);
    TriggerFiredBundle bundle = onB.getTriggerFiredBundle();
    assertThat(bundle).as("B's claim fires").isNotNull();
    assertThat(bundle.getScheduledFireTime().toInstant()).isEqualTo(expected);
    assertThat(entries("aba")).containsExactly("b:EXECUTING");
    assertThat(stateOf("aba")).isEqualTo("COMPLETE");
  }

  /**
   * Claiming ahead's way back ({@link WorkerPool}): a fired firing still waiting for a worker is
   * undone only while its trigger is as the firing left it. Undone, the same fire time is claimed
   * and fired again, once; when another node has fired the trigger's next time meanwhile, it is not
   * undone and stays this node's to run — never lost, never run twice.
   */
  @Test
  void aQueuedFiringIsHandedBackOnlyWhileItsTriggerIsAsItLeftIt() throws Exception {
    List<ManualNode> two = manualCluster("a", "b");
    ManualNode a = two.get(0);
    ManualNode b = two.get(1);
    a.scheduler.register(every("back", Duration.ofSeconds(1)));
    WorkerPool.HandBack back = a.store.handBack();

    TriggerFiredBundle first =
        fireWhenDue(a, a.store.acquireNextTriggers(System.currentTimeMillis() + 15_000, 1, 0))
            .get(0)
            .getTriggerFiredBundle();
    assertThat(back.canHandBack(first)).isTrue();
    assertThat(entries("back")).containsExactly("a:EXECUTING");
    assertThat(back.handBack(first)).as("handed back").isTrue();
    assertThat(entries("back")).isEmpty();
    assertThat(stateOf("back")).isEqualTo("WAITING");
    assertThat(nextFireOf("back")).isEqualTo(first.getScheduledFireTime().getTime());

    // The same fire time again, now by b; then a fires the next one and b the one after it.
    TriggerFiredBundle again =
        fireWhenDue(b, b.store.acquireNextTriggers(System.currentTimeMillis() + 15_000, 1, 0))
            .get(0)
            .getTriggerFiredBundle();
    assertThat(again.getScheduledFireTime()).isEqualTo(first.getScheduledFireTime());
    TriggerFiredBundle queued =
        fireWhenDue(a, a.store.acquireNextTriggers(System.currentTimeMillis() + 15_000, 1, 0))
            .get(0)
            .getTriggerFiredBundle();
    TriggerFiredBundle later =
        fireWhenDue(b, b.store.acquireNextTriggers(System.currentTimeMillis() + 15_000, 1, 0))
            .get(0)
            .getTriggerFiredBundle();
    assertThat(later.getScheduledFireTime()).isAfter(queued.getScheduledFireTime());

    assertThat(back.handBack(queued)).as("the trigger moved on: kept").isFalse();
    assertThat(entries("back"))
        .containsExactlyInAnyOrder("a:EXECUTING", "b:EXECUTING", "b:EXECUTING");
    assertThat(nextFireOf("back")).isEqualTo(later.getScheduledFireTime().getTime() + 1000);
  }

  // 4. A drain under management churn.

  /**
   * Two nodes with a 50 ms misfire threshold run one-shots and intervals while another thread
   * pauses, resumes, replaces and removes tasks for a while: no deadlock or lock timeout anywhere,
   * no firing (trigger, scheduled time) run twice, and every one-shot that was not removed ran
   * (once, unless it was replaced, which may legitimately give it another time to run at).
   */
  @Test
  void aDrainUnderPauseResumeReplaceAndRemoveChurnNeitherDeadlocksNorFiresTwice() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    try {
      int shots = 150;
      Instant start = Instant.now().plusSeconds(2);
      List<Task> tasks = new ArrayList<>();
      List<String> shotNames = new ArrayList<>();
      for (int i = 0; i < shots; i++) {
        tasks.add(once("shot-" + i, start.plusMillis(60L * i)));
        shotNames.add("shot-" + i);
      }
      List<String> ticks = List.of("tick-0", "tick-1", "tick-2", "tick-3");
      for (String t : ticks) tasks.add(every(t, Duration.ofMillis(100)));
      Queue<Throwable> schedulerErrors = new ConcurrentLinkedQueue<>();
      List<Baton> two = new ArrayList<>();
      for (String id : List.of("a", "b")) {
        Baton n = nodes.start(id, b -> b.tasks(tasks));
        // Below what the builder accepts (1 s), so that misfire handling races every firing.
        ManualNode.store(n).setMisfireThreshold(50);
        ManualNode.quartz(n)
            .getListenerManager()
            .addSchedulerListener(
                new SchedulerListenerSupport() {
                  @Override
                  public void schedulerError(String msg, SchedulerException cause) {
                    schedulerErrors.add(cause);
                  }
                });
        two.add(n);
      }
      awaitLanes(two, true);

      Set<String> removed = ConcurrentHashMap.newKeySet();
      Set<String> replaced = ConcurrentHashMap.newKeySet();
      Set<String> paused = ConcurrentHashMap.newKeySet();
      Map<String, Integer> registeredStarts = new HashMap<>();
      Queue<Throwable> churnErrors = new ConcurrentLinkedQueue<>();
      Random random = new Random(42);
      long churnUntil = System.currentTimeMillis() + 12_000;
      int ops = 0;
      Queue<String> churnLog = new ConcurrentLinkedQueue<>();
      while (System.currentTimeMillis() < churnUntil) {
        Baton via = two.get(ops++ % 2);
        boolean shot = random.nextInt(3) > 0;
        String name =
            shot ? shotNames.get(random.nextInt(shots)) : ticks.get(random.nextInt(ticks.size()));
        if (removed.contains(name)) continue;
        int op = random.nextInt(shot ? 10 : 9);
        churnLog.add(System.currentTimeMillis() + " " + via.nodeId() + " op" + op + " " + name);
        try {
          if (op < 3) {
            via.pause(name);
            paused.add(name);
          } else if (op < 6) {
            via.resume(name);
            paused.remove(name);
          } else if (op < 9) {
            Task changed =
                shot
                    ? once(name, Instant.now().plusMillis(random.nextInt(1500)))
                    : every(name, Duration.ofMillis(random.nextBoolean() ? 100 : 150));
            if (via.register(changed) != Registration.UNCHANGED && !shot) {
              // A changed definition starts over at its start time, which may equal a time the
              // old one fired at (two registrations in one millisecond): that time may then run
              // once per definition. The churn is this one thread, so the stored start is ours.
              registeredStarts.merge(name + "@" + startTimeOf(name), 1, Integer::sum);
            }
            if (shot) replaced.add(name);
          } else {
            via.unschedule(name);
            removed.add(name);
          }
        } catch (UnknownTaskException gone) {
          // A one-shot that ran is gone (its job is not durable): nothing to churn.
        } catch (RuntimeException e) {
          churnErrors.add(e);
        }
      }
      for (String name : paused) {
        try {
          two.get(0).resume(name);
        } catch (UnknownTaskException gone) {
          // Removed meanwhile.
        }
      }

      Set<String> mustRun = new HashSet<>(shotNames);
      mustRun.removeAll(removed);
      await().atMost(WAIT).until(() -> ranAtLeastOnce(mustRun) == mustRun.size());
      await()
          .atMost(WAIT)
          .until(
              () ->
                  count("SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE OUTCOME = 'RUNNING'") == 0);

      assertThat(churnErrors).as("errors of management operations").isEmpty();
      assertThat(schedulerErrors).as("scheduler errors").isEmpty();
      List<String> lockTrouble =
          logs.list.stream()
              .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
              .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || mentionsLockTrouble(e))
              .map(
                  e ->
                      "["
                          + e.getThreadName()
                          + "] "
                          + e.getFormattedMessage()
                          + " "
                          + causes(e.getThrowableProxy()))
              .toList();
      assertThat(lockTrouble).as("errors, deadlocks and lock timeouts logged").isEmpty();
      List<String> dups = duplicateFirings();
      dups.removeIf(
          d -> {
            String key = d.substring(0, d.lastIndexOf(" x"));
            int runs = Integer.parseInt(d.substring(d.lastIndexOf(" x") + 2));
            return runs <= registeredStarts.getOrDefault(key, 0) + 1;
          });
      if (!dups.isEmpty()) {
        for (String d : dups) {
          String trig = d.substring(0, d.indexOf('@'));
          System.out.println(
              "DUP "
                  + d
                  + " history: "
                  + historyOf(trig)
                  + "\nchurn: "
                  + churnLog.stream().filter(l -> l.endsWith(" " + trig)).toList());
        }
      }
      assertThat(dups).as("firings run twice").isEmpty();
      for (String name : shotNames) {
        // A one-shot replaced after it ran is created again and runs again, at its new time.
        if (replaced.contains(name)) continue;
        long runs = runsOf(name);
        if (removed.contains(name)) assertThat(runs).as(name + " (removed)").isLessThanOrEqualTo(1);
        else assertThat(runs).as(name).isEqualTo(1);
      }
      assertThat(count("SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_STATE = 'ERROR'"))
          .isZero();
    } finally {
      root.detachAppender(logs);
    }
  }

  // 5. The mixed-version gate.

  /**
   * With the lane on, one node is made to look old (its PROTOCOL_SINCE cleared): within a few
   * check-ins every node's lane turns off, and work goes on without duplicates; restored, the lane
   * turns back on everywhere.
   */
  @Test
  void oneOldNodeTurnsTheFastLaneOffEverywhereAndWorkGoesOnWithoutDuplicates() throws Exception {
    int shots = 40;
    Instant start = Instant.now().plusSeconds(2);
    List<Task> tasks = new ArrayList<>();
    Set<String> shotNames = new HashSet<>();
    for (int i = 0; i < shots; i++) {
      tasks.add(once("shot-" + i, start.plusMillis(250L * i)));
      shotNames.add("shot-" + i);
    }
    tasks.add(every("beat", Duration.ofMillis(100)));
    List<Baton> two =
        List.of(nodes.start("a", b -> b.tasks(tasks)), nodes.start("b", b -> b.tasks(tasks)));
    awaitLanes(two, true);
    await().atMost(WAIT).until(() -> Recorder.of("beat").size() >= 5);

    db.execute("UPDATE QRTZ_BATON_NODES SET PROTOCOL_SINCE = NULL WHERE INSTANCE_NAME = 'b'");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> two.stream().noneMatch(n -> ManualNode.lane(n).isOn()));
    int before = Recorder.of("beat").size();
    await().atMost(WAIT).until(() -> Recorder.of("beat").size() >= before + 15);
    assertThat(two)
        .as("lanes stay off while a node is old")
        .noneMatch(n -> ManualNode.lane(n).isOn());

    db.execute("UPDATE QRTZ_BATON_NODES SET PROTOCOL_SINCE = STARTED_AT WHERE INSTANCE_NAME = 'b'");
    awaitLanes(two, true);
    int after = Recorder.of("beat").size();
    await().atMost(WAIT).until(() -> Recorder.of("beat").size() >= after + 15);

    await().atMost(WAIT).until(() -> ranAtLeastOnce(shotNames) == shots);
    await()
        .atMost(WAIT)
        .until(
            () -> count("SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE OUTCOME = 'RUNNING'") == 0);
    assertThat(duplicateFirings()).as("firings run twice").isEmpty();
    for (String name : shotNames) assertThat(runsOf(name)).as(name).isEqualTo(1);
    assertThat(Recorder.of("beat").stream().map(Recorder.Execution::scheduled).toList())
        .doesNotHaveDuplicates();
  }

  // Helpers.

  private static Task once(String name, Instant at) {
    return Task.named(name).once(at).runs(RecordingJob.class).build();
  }

  private static Task every(String name, Duration interval) {
    return Task.named(name).every(interval).runs(RecordingJob.class).build();
  }

  /** Manual nodes on one database, each on its own pool, with their fast lane on. */
  private List<ManualNode> manualCluster(String... ids) {
    ManualNode.migrate(probe);
    List<ManualNode> out = new ArrayList<>();
    for (String id : ids) {
      ManualNode n = new ManualNode(db.pool(12), id);
      manual.add(n);
      out.add(n);
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> out.stream().allMatch(n -> n.lane.isOn()));
    return out;
  }

  private static void awaitLanes(Collection<Baton> of, boolean on) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> of.stream().allMatch(n -> ManualNode.lane(n).isOn() == on));
  }

  private long count(String sql) {
    return TestDatabase.count(probe, sql);
  }

  private String stateOf(String trigger) throws SQLException {
    return column("TRIGGER_STATE", trigger);
  }

  private String claimOf(String trigger) throws SQLException {
    return column("BATON_CLAIM", trigger);
  }

  private long nextFireOf(String trigger) throws SQLException {
    return Long.parseLong(column("NEXT_FIRE_TIME", trigger));
  }

  private String column(String column, String trigger) throws SQLException {
    try (Connection c = probe.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + column
                    + " FROM QRTZ_TRIGGERS WHERE SCHED_NAME = 'baton' AND TRIGGER_NAME = ?")) {
      ps.setString(1, trigger);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** The trigger's fired-trigger entries, as node:state. */
  private List<String> entries(String trigger) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = probe.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT INSTANCE_NAME, STATE FROM QRTZ_FIRED_TRIGGERS WHERE SCHED_NAME = 'baton'"
                    + " AND TRIGGER_NAME = ?")) {
      ps.setString(1, trigger);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1) + ":" + rs.getString(2));
      }
    }
    return out;
  }

  /** Firings (trigger, scheduled time) with more than one execution in the history table. */
  private List<String> duplicateFirings() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = probe.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT TRIGGER_NAME, SCHEDULED_TIME, COUNT(*) FROM QRTZ_BATON_HISTORY WHERE "
                    + RUNS
                    + " GROUP BY TRIGGER_NAME, SCHEDULED_TIME HAVING COUNT(*) > 1");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.add(rs.getString(1) + "@" + rs.getLong(2) + " x" + rs.getLong(3));
    }
    return out;
  }

  /** Fires claimed triggers once they are due, as Quartz's scheduler thread does. */
  private static List<TriggerFiredResult> fireWhenDue(
      ManualNode node, List<OperableTrigger> claimed) throws Exception {
    long due = claimed.stream().mapToLong(t -> t.getNextFireTime().getTime()).max().orElseThrow();
    await().atMost(WAIT).until(() -> System.currentTimeMillis() >= due);
    return node.store.triggersFired(claimed);
  }

  private long startTimeOf(String name) {
    return count("SELECT START_TIME FROM QRTZ_TRIGGERS WHERE TRIGGER_NAME = '" + name + "'");
  }

  private List<String> historyOf(String trigger) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = probe.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT SCHEDULED_TIME, START_TIME, NODE_ID, OUTCOME, RECOVERY, ID FROM"
                    + " QRTZ_BATON_HISTORY WHERE TRIGGER_NAME = ? ORDER BY SCHEDULED_TIME,"
                    + " START_TIME")) {
      ps.setString(1, trigger);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              rs.getLong(1)
                  + "/"
                  + rs.getLong(2)
                  + "/"
                  + rs.getString(3)
                  + "/"
                  + rs.getString(4)
                  + "/"
                  + rs.getBoolean(5)
                  + "/"
                  + rs.getString(6));
        }
      }
    }
    return out;
  }

  private long runsOf(String task) {
    return count(
        "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = '" + task + "' AND " + RUNS);
  }

  private long ranAtLeastOnce(Set<String> tasks) throws SQLException {
    Set<String> ran = new HashSet<>();
    try (Connection c = probe.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT DISTINCT JOB_NAME FROM QRTZ_BATON_HISTORY WHERE " + RUNS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) ran.add(rs.getString(1));
    }
    ran.retainAll(tasks);
    return ran.size();
  }

  private static boolean mentionsLockTrouble(ILoggingEvent e) {
    String text =
        (e.getFormattedMessage() + " " + causes(e.getThrowableProxy())).toLowerCase(Locale.ROOT);
    return text.contains("deadlock")
        || text.contains("lock wait timeout")
        || text.contains("lock timeout")
        || text.contains("timeout trying to lock")
        || text.contains("could not serialize");
  }

  private static String causes(IThrowableProxy t) {
    List<String> out = new ArrayList<>();
    for (IThrowableProxy p = t; p != null; p = p.getCause())
      out.add(p.getClassName() + ": " + p.getMessage());
    return out.stream().collect(Collectors.joining(" <- "));
  }
}
