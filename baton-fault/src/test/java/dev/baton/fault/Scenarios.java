package dev.baton.fault;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The fault scenarios. Each starts its nodes on a fresh database, gives them a workload through the
 * admin API, injects its faults, settles and returns what {@link Invariants} found. The caller
 * closes the run (which kills every node), also when a scenario throws.
 */
final class Scenarios {
  static final String LOCK = "fenced-resource";

  /** Steady state before the first fault: every task has fired and the history is flowing. */
  static final Duration WARM_UP = Duration.ofSeconds(5);

  private final Path jar;
  private final Path plugins;
  private final Path logRoot;

  /**
   * @param plugins a directory holding {@code fenced/}, {@code v1/} and {@code v2/} plugin
   *     directories
   */
  Scenarios(Path jar, Path plugins, Path logRoot) {
    this.jar = jar;
    this.plugins = plugins;
    this.logRoot = logRoot;
  }

  ScenarioRun run(String name, FaultDatabase db) {
    return new ScenarioRun(name, db, jar, logRoot);
  }

  /**
   * The mixed workload: interval, cron and one-shot tasks, a non-concurrent task, a recoverable
   * long task, the fenced writer under a cluster lock, and runs of an on-demand task.
   */
  static void standardWorkload(ScenarioRun run, Instant oneShotsFrom) {
    run.register(
        TaskSpec.sleepEvery("tick", 1_000, 30),
        TaskSpec.sleepCron("cron-2s", "*/2 * * * * ?", 20),
        TaskSpec.exclusiveSleep("exclusive", 2_000, 1_200),
        TaskSpec.recoverableSleep("long", 2_500, 5_000));
    for (int i = 0; i < 3; i++) {
      run.register(
          TaskSpec.once(
              "once-" + i,
              oneShotsFrom.plusSeconds(6L * i).truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
              10));
    }
    HistoryTables.createFencedResource(run.db());
    run.register(TaskSpec.fencedWriter("fenced", LOCK, 3_000, 1_000, 1_500, run.db()));
    // Runs of one on-demand task, two a second for 15 s: each a firing of its own.
    run.register(TaskSpec.onDemand("batch", 10));
    List<Instant> runsDue = new ArrayList<>();
    for (int i = 0; i < 30; i++) runsDue.add(oneShotsFrom.plusMillis(500L * i));
    run.submitRuns("batch", runsDue);
  }

  /**
   * kill -9 of a node in the middle of a recoverable job, {@code kills} times; a replacement joins
   * after each.
   */
  ScenarioReport kill(FaultDatabase db, int nodes, int kills) throws Exception {
    try (ScenarioRun run = run("kill", db)) {
      run.startNodes(nodes, "node", plugins.resolve("fenced"), "v1");
      standardWorkload(run, Instant.now().plusSeconds(5));
      waitFor(WARM_UP);
      for (int k = 0; k < kills; k++) {
        FaultNode victim = awaitNodeRunning(run, "long");
        Instant at = run.kill(victim);
        await("recovery re-run after killing " + victim.id())
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> recoveriesSince(db, at) > 0);
        run.startNodes(1, "node", plugins.resolve("fenced"), "v1");
      }
      waitFor(Duration.ofSeconds(5)); // a calm stretch, so that the last firings are ordinary ones
      run.settle();
      return run.check();
    }
  }

  /**
   * SIGSTOP of the node holding the fenced lock for longer than failure detection and the lease,
   * then SIGCONT: it wakes believing it still owns its work.
   */
  ScenarioReport pause(FaultDatabase db, Duration pause) throws Exception {
    try (ScenarioRun run = run("sigstop", db)) {
      run.startNodes(3, "node", plugins.resolve("fenced"), "v1");
      standardWorkload(run, Instant.now().plusSeconds(5));
      waitFor(WARM_UP);
      FaultNode holder = awaitNodeRunning(run, "fenced");
      run.pause(holder, pause);
      await("the woken node answers again")
          .atMost(Duration.ofSeconds(30))
          .until(() -> holder.api().healthy());
      waitFor(Duration.ofSeconds(6));
      run.settle();
      return run.check();
    }
  }

  /**
   * An exactly-once job (non-concurrent, working 1.2 s inside its transaction, due every 2 s) on
   * three nodes through three kill -9s, each at a random moment of a running execution (before,
   * during or after its work, around its commit), and a SIGSTOP past failure detection of the node
   * running it. From the database: every execution the history shows done has its one effects row,
   * no other row exists, no firing has two, and committed effects never overlap, their tokens
   * rising.
   */
  ScenarioReport exactlyOnce(FaultDatabase db) throws Exception {
    try (ScenarioRun run = run("exactly-once", db)) {
      Path exactly = plugins.resolve("exactly");
      db.execute(
          "CREATE TABLE effects (fire_id VARCHAR(200) PRIMARY KEY, node_id VARCHAR(200) NOT NULL,"
              + " token BIGINT NOT NULL, started_ms BIGINT NOT NULL, ended_ms BIGINT)");
      run.startNodes(3, "node", exactly, "v1");
      run.register(TaskSpec.exactlyOnceWriter("effects", 2_000, 1_200));
      waitFor(WARM_UP);
      java.util.Random random = new java.util.Random();
      for (int k = 0; k < 3; k++) {
        FaultNode victim = awaitNodeRunning(run, "effects");
        waitFor(Duration.ofMillis(random.nextInt(1_400)));
        Instant at = run.kill(victim);
        run.note("kill " + (k + 1) + " of " + victim.id() + " at " + at);
        run.startNodes(1, "node", exactly, "v1");
        waitFor(Duration.ofSeconds(4));
      }
      FaultNode stalled = awaitNodeRunning(run, "effects");
      waitFor(Duration.ofMillis(random.nextInt(1_000)));
      run.pause(stalled, Duration.ofSeconds(6));
      await("the woken node answers again")
          .atMost(Duration.ofSeconds(30))
          .until(() -> stalled.api().healthy());
      waitFor(Duration.ofSeconds(6));
      run.settle();
      effectsChecks(run, "effects");
      return run.check();
    }
  }

  /** The exactly-once invariants of {@code task}, read from {@code effects} and the history. */
  private static void effectsChecks(ScenarioRun run, String task) throws Exception {
    FaultDatabase db = run.db();
    int without =
        strictCount(
            db,
            "SELECT COUNT(*) FROM effects E WHERE NOT EXISTS (SELECT 1 FROM QRTZ_BATON_HISTORY H"
                + " WHERE H.ID = E.fire_id AND H.OUTCOME = 'SUCCEEDED')");
    if (without > 0) run.violation(without + " effects rows of executions not shown done");
    int missing =
        strictCount(
            db,
            "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY H WHERE H.JOB_NAME = ? AND H.OUTCOME ="
                + " 'SUCCEEDED' AND NOT EXISTS (SELECT 1 FROM effects E WHERE E.fire_id = H.ID)",
            task);
    if (missing > 0) run.violation(missing + " executions shown done without their effects row");
    int twice =
        strictCount(
            db,
            "SELECT COUNT(*) FROM (SELECT H.TRIGGER_NAME, H.SCHEDULED_TIME FROM effects E JOIN"
                + " QRTZ_BATON_HISTORY H ON H.ID = E.fire_id GROUP BY H.TRIGGER_NAME,"
                + " H.SCHEDULED_TIME HAVING COUNT(*) > 1) X");
    if (twice > 0) run.violation(twice + " firings with two committed effects");
    long[] previous = null; // started, ended, token
    int rows = 0;
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT fire_id, node_id, token, started_ms, ended_ms FROM effects ORDER BY"
                    + " started_ms");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        rows++;
        long token = r.getLong(3);
        long started = r.getLong(4);
        long ended = r.getLong(5);
        if (r.wasNull()) run.violation("effect " + r.getString(1) + " committed without its end");
        if (previous != null && started < previous[1]) {
          run.violation(
              "committed effects overlap: "
                  + r.getString(1)
                  + " on "
                  + r.getString(2)
                  + " started "
                  + (previous[1] - started)
                  + " ms before the previous one ended");
        }
        if (previous != null && token <= previous[2]) {
          run.violation(
              "fencing token " + token + " of " + r.getString(1) + " not above " + previous[2]);
        }
        previous = new long[] {started, ended, token};
      }
    }
    int refused =
        strictCount(
            db,
            "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = ? AND MESSAGE LIKE"
                + " '%Commit refused%'",
            task);
    run.note(rows + " committed effects, " + refused + " commits refused");
    if (rows < 10) run.violation("only " + rows + " committed effects: the job hardly ran");
  }

  /**
   * A retry pending when its node dies: the first attempt fails on one node, which is killed -9
   * while the retry waits out its delay; the survivor must run the retry, once.
   */
  ScenarioReport retryAfterKill(FaultDatabase db) throws Exception {
    try (ScenarioRun run = run("retry-kill", db)) {
      run.startNodes(2, "node", plugins.resolve("retry"), "v1");
      String task = "retry-once";
      run.register(TaskSpec.failOnceRetried(task, Instant.now().plusSeconds(2), 5_000));
      await("first attempt failed")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  count(
                          db,
                          "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = ? AND OUTCOME ="
                              + " 'FAILED'",
                          task)
                      == 1);
      String failedOn = nodeOf(db, task, "FAILED");
      FaultNode victim =
          run.survivors().stream().filter(n -> n.id().equals(failedOn)).findFirst().orElseThrow();
      if (count(db, "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE TRIGGER_GROUP = 'baton.retry'")
          != 1) {
        run.violation("no retry stored after the first attempt failed");
      }
      run.kill(victim);
      await("the retry ran")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  count(
                          db,
                          "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = ? AND OUTCOME ="
                              + " 'SUCCEEDED'",
                          task)
                      >= 1);
      run.settle();
      int attempts = count(db, "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = ?", task);
      if (attempts != 2)
        run.violation(
            task + " ran " + attempts + " times; expected the failed attempt and one retry");
      String retriedOn = nodeOf(db, task, "SUCCEEDED");
      if (failedOn.equals(retriedOn)) run.violation("the retry ran on the killed node " + failedOn);
      run.note(
          "attempt 1 failed on "
              + failedOn
              + " (killed -9 with the retry pending); the retry ran on "
              + retriedOn);
      return run.check();
    }
  }

  /**
   * {@code maxConcurrent(3)} with long executions on three nodes, and a kill -9 of a node running
   * some: never more than three run at once (read from the history, a killed node's executions
   * ending at its death), and the dead node's slots are taken again within the failover time. The
   * task is not in the run's workload: its firings wait for slots by design, which the lost-firing
   * check would count.
   */
  ScenarioReport limitAfterKill(FaultDatabase db) throws Exception {
    try (ScenarioRun run = run("limit-kill", db)) {
      run.startNodes(3, "node", plugins.resolve("retry"), "v1");
      String task = "limited";
      run.survivors()
          .get(0)
          .api()
          .putTask(
              task,
              Map.of(
                  "type",
                  "sleep",
                  "intervalMs",
                  200,
                  "maxConcurrent",
                  3,
                  "data",
                  Map.of("millis", "8000")));
      await("three executions running")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> runningNodes(db, task).size() == 3);
      String victimId = runningNodes(db, task).get(0);
      FaultNode victim =
          run.survivors().stream().filter(n -> n.id().equals(victimId)).findFirst().orElseThrow();
      Instant killed = run.kill(victim);
      await("a survivor takes a freed slot")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  count(
                          db,
                          "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = ? AND NODE_ID"
                              + " <> ? AND START_TIME > ?",
                          task,
                          victimId,
                          killed.toEpochMilli())
                      > 0);
      long reusedAt = firstStartAfter(db, task, victimId, killed.toEpochMilli());
      long reuse = reusedAt - killed.toEpochMilli();
      if (reuse > SLOT_REUSE_BOUND_MS) {
        run.violation(
            "the killed node's slot was taken again only "
                + reuse
                + " ms after the kill; bound "
                + SLOT_REUSE_BOUND_MS);
      }
      run.survivors().get(0).api().post("/api/tasks/" + task + "/pause");
      run.settle();
      // The slot taken must be the dead node's, not one a survivor's execution freed by ending.
      long survivorsFirstEnd = firstEndOfRunning(db, task, victimId, killed.toEpochMilli());
      if (survivorsFirstEnd <= reusedAt) {
        run.violation(
            "the slot taken after the kill was freed by a survivor's execution ending at "
                + survivorsFirstEnd
                + ", not by the killed node's");
      }
      int overlap = maxOverlap(db, task, victimId, killed.toEpochMilli());
      if (overlap > 3)
        run.violation(overlap + " executions of " + task + " ran at once; the limit is 3");
      run.note(
          "limit 3: at most "
              + overlap
              + " at once; a slot of killed "
              + victimId
              + " taken again after "
              + reuse
              + " ms");
      return run.check();
    }
  }

  /**
   * How soon a dead node's concurrency slot must be taken again: the failover time of the nodes'
   * defaults (check-in every 1 s, declared dead 2 s after a missed one), plus one survivor's
   * check-in to notice it, one idle wait (0.5 s) to claim the next firing and 0.5 s of slack.
   */
  private static final long SLOT_REUSE_BOUND_MS = 1_000 + 2_000 + 1_000 + 500 + 500;

  /**
   * The first end, after {@code at}, of the executions on nodes other than {@code notNode} running
   * at {@code at}.
   */
  private static long firstEndOfRunning(FaultDatabase db, String task, String notNode, long at)
      throws Exception {
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT MIN(END_TIME) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = ? AND NODE_ID <> ?"
                    + " AND START_TIME <= ? AND END_TIME > ?")) {
      s.setString(1, task);
      s.setString(2, notNode);
      s.setLong(3, at);
      s.setLong(4, at);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        long end = r.getLong(1);
        return r.wasNull() ? Long.MAX_VALUE : end;
      }
    }
  }

  private static long firstStartAfter(FaultDatabase db, String task, String notNode, long after)
      throws Exception {
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT MIN(START_TIME) FROM QRTZ_BATON_HISTORY"
                    + " WHERE JOB_NAME = ? AND NODE_ID <> ? AND START_TIME > ?")) {
      s.setString(1, task);
      s.setString(2, notNode);
      s.setLong(3, after);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /** The most executions of {@code task} at one moment; the killed node's end at its death. */
  private static int maxOverlap(FaultDatabase db, String task, String killedNode, long killedAt)
      throws Exception {
    List<long[]> events = new ArrayList<>();
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT NODE_ID, START_TIME, END_TIME, OUTCOME FROM QRTZ_BATON_HISTORY WHERE"
                    + " JOB_NAME = ?")) {
      s.setString(1, task);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          if (!HistoryTables.ranOutcome(r.getString(4))) continue;
          long start = r.getLong(2);
          long end = r.getLong(3);
          if (r.wasNull()) end = Long.MAX_VALUE;
          if (r.getString(1).equals(killedNode)) end = Math.min(end, killedAt);
          events.add(new long[] {start, 1});
          events.add(new long[] {end, -1});
        }
      }
    }
    events.sort(java.util.Comparator.<long[]>comparingLong(x -> x[0]).thenComparingLong(x -> x[1]));
    int now = 0;
    int max = 0;
    for (long[] e : events) {
      now += (int) e[1];
      max = Math.max(max, now);
    }
    return max;
  }

  private static String nodeOf(FaultDatabase db, String task, String outcome) throws Exception {
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT NODE_ID FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = ? AND OUTCOME = ?")) {
      s.setString(1, task);
      s.setString(2, outcome);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  /** The database server stops for {@code downtime} and starts again while the nodes run. */
  ScenarioReport databaseRestart(FaultDatabase db, Duration downtime) throws Exception {
    try (ScenarioRun run = run("db-restart", db)) {
      List<FaultNode> nodes = run.startNodes(3, "node", plugins.resolve("fenced"), "v1");
      standardWorkload(run, Instant.now().plusSeconds(8));
      waitFor(Duration.ofSeconds(6));
      FaultDatabase.Outage outage = db.server().restart(downtime);
      run.fault(
          "database down "
              + Duration.between(outage.requested(), outage.back()).toMillis()
              + " ms");
      long back = outage.back().toEpochMilli();
      for (FaultNode n : nodes) {
        try {
          await(n.id() + " fires again after the restart")
              .atMost(Duration.ofSeconds(45))
              .pollInterval(Duration.ofMillis(250))
              .until(() -> startedSince(db, n.id(), back) > 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          run.violation(
              "node "
                  + n.id()
                  + " executed nothing in 45 s after the database came back; log "
                  + n.log());
        }
      }
      waitFor(Duration.ofSeconds(4));
      run.settle();
      return run.check();
    }
  }

  /**
   * v1 nodes (classes A, B) are replaced one by one by v2 nodes (A, C), with an overlap. B must run
   * while a v1 node lives and then wait (never ERROR), flagged stuck; C runs only on v2 nodes.
   */
  ScenarioReport rollingUpgrade(FaultDatabase db) throws Exception {
    try (ScenarioRun run = run("rolling-upgrade", db)) {
      Path v1 = plugins.resolve("v1");
      Path v2 = plugins.resolve("v2");
      List<FaultNode> old = run.startNodes(2, "v1", v1, "v1");
      run.register(
          TaskSpec.plugin("upgrade-a", "upgrade.JobA", 1_000),
          TaskSpec.plugin("upgrade-b", "upgrade.JobB", 1_000));
      waitFor(Duration.ofSeconds(3));
      FaultNode first = run.startNodes(1, "v2", v2, "v2").get(0);
      run.fault("start " + first.id());
      first
          .api()
          .putTask("upgrade-c", TaskSpec.plugin("upgrade-c", "upgrade.JobC", 1_000).definition());
      run.tasks().add(TaskSpec.plugin("upgrade-c", "upgrade.JobC", 1_000));
      waitFor(Duration.ofSeconds(3));
      run.stopGracefully(old.get(0));
      run.fault("SIGTERM " + old.get(0).id());
      run.startNodes(1, "v2", v2, "v2");
      run.fault("start v2-2");
      waitFor(Duration.ofSeconds(3));
      Instant lastV1Leaves = Instant.now();
      run.gap("upgrade-b", lastV1Leaves, null, "the last node with class B left");
      run.stopGracefully(old.get(1));
      run.fault("SIGTERM " + old.get(1).id());
      waitFor(Duration.ofSeconds(5));
      checkUpgradeState(run, first);
      run.settle();
      return run.check();
    }
  }

  private static void checkUpgradeState(ScenarioRun run, FaultNode v2) throws Exception {
    String state =
        HistoryTables.triggers(run.db()).stream()
            .filter(t -> t.task().equals("upgrade-b"))
            .map(HistoryTables.Trigger::state)
            .findFirst()
            .orElse("MISSING");
    if (!state.equals("WAITING"))
      run.violation(
          "upgrade-b's trigger is " + state + " after the last v1 node left; expected WAITING");
    var task = v2.api().get("/api/tasks/upgrade-b").json();
    if (!task.path("stuck").asBoolean())
      run.violation("GET /api/tasks/upgrade-b does not flag it stuck: " + task);
    Map<String, String> versions =
        run.survivors().stream().collect(Collectors.toMap(FaultNode::id, FaultNode::version));
    for (HistoryTables.Entry e : HistoryTables.history(run.db())) {
      if (e.task().equals("upgrade-c") && !e.node().startsWith("v2-"))
        run.violation("upgrade-c ran on " + e.node() + ", not a v2 node");
      if (e.task().equals("upgrade-b") && !e.node().startsWith("v1-"))
        run.violation("upgrade-b ran on " + e.node() + ", not a v1 node");
    }
    run.note("after the upgrade: upgrade-b WAITING and stuck; live nodes " + versions);
  }

  /** How early (by the database's clock) an execution may start before it is reported. */
  static final long EARLY_TOLERANCE_MS = 100;

  /** How much more CPU a node with a skewed clock may use than the busiest unskewed node. */
  static final double CPU_RATIO = 2.0;

  static final long CPU_SLACK_MS = 1_500;

  /**
   * Three nodes on one database: one on time, one whose wall clock runs 30 s ahead, one 30 s behind
   * (libfaketime preloaded into their java processes). Interval and cron tasks are registered
   * through the skewed nodes. Checked from the database: no execution starts early by the
   * database's clock, no node is declared dead, the skewed nodes use no more CPU than the other,
   * plus the usual invariants.
   */
  ScenarioReport clockSkew(FaultDatabase db) throws Exception {
    try (ScenarioRun run = run("clock-skew", db)) {
      HistoryTables.createClockProbe(db);
      Path probe = plugins.resolve("clock");
      FaultNode onTime = run.startNode("on-time-1", probe, "v1", Map.of());
      FaultNode ahead = run.startNode("ahead-30s", probe, "v1", Faketime.offset("+30s"));
      FaultNode behind = run.startNode("behind-30s", probe, "v1", Faketime.offset("-30s"));
      run.fault("clocks: " + ahead.id() + " +30 s, " + behind.id() + " -30 s");
      run.registerVia(ahead, TaskSpec.clockProbe("probe-every", 500, null, db));
      run.registerVia(behind, TaskSpec.clockProbe("probe-cron", 0, "* * * * * ?", db));
      run.registerVia(onTime, TaskSpec.sleepEvery("tick", 1_000, 30));
      run.registerVia(ahead, TaskSpec.exclusiveSleep("exclusive", 2_000, 300));
      waitFor(Duration.ofSeconds(3));
      clockChecks(run, Duration.ofSeconds(20), List.of(onTime), List.of(ahead, behind), () -> {});
      run.settle();
      probeChecks(run);
      return run.check();
    }
  }

  /**
   * Three nodes on time, one of which then has its wall clock stepped 20 s forward, then 20 s back
   * behind the database's (libfaketime re-reading its offset file), as an NTP step or an operator
   * would. Same checks as {@link #clockSkew}.
   */
  ScenarioReport clockStep(FaultDatabase db) throws Exception {
    try (ScenarioRun run = run("clock-step", db)) {
      HistoryTables.createClockProbe(db);
      Path probe = plugins.resolve("clock");
      Path offsetFile = run.logDir().resolve("faketime-offset");
      java.nio.file.Files.createDirectories(run.logDir());
      java.nio.file.Files.writeString(offsetFile, "+0s\n");
      FaultNode a = run.startNode("on-time-1", probe, "v1", Map.of());
      FaultNode b = run.startNode("on-time-2", probe, "v1", Map.of());
      FaultNode stepped = run.startNode("stepped", probe, "v1", Faketime.fromFile(offsetFile));
      run.registerVia(a, TaskSpec.clockProbe("probe-every", 500, null, db));
      run.registerVia(b, TaskSpec.clockProbe("probe-cron", 0, "* * * * * ?", db));
      run.registerVia(a, TaskSpec.exclusiveSleep("exclusive", 2_000, 300));
      waitFor(Duration.ofSeconds(3));
      clockChecks(
          run,
          Duration.ofSeconds(21),
          List.of(a, b),
          List.of(stepped),
          () -> {
            waitFor(Duration.ofSeconds(3));
            java.nio.file.Files.writeString(offsetFile, "+20s\n");
            run.fault(stepped.id() + " clock stepped +20 s");
            waitFor(Duration.ofSeconds(9));
            java.nio.file.Files.writeString(offsetFile, "-20s\n");
            run.fault(stepped.id() + " clock stepped -40 s (to -20 s)");
          });
      run.settle();
      probeChecks(run);
      String log = java.nio.file.Files.readString(stepped.log());
      run.note(
          stepped.id()
              + " noticed "
              + (log.split("clock moved", -1).length - 1)
              + " step(s) of its clock (log)");
      return run.check();
    }
  }

  /** A step of the workload while CPU time is measured; may sleep. */
  interface Step {
    void run() throws Exception;
  }

  /**
   * Runs the workload for {@code span} (doing {@code during} at its start), measuring each node's
   * CPU time, then checks that no node was declared dead and that the skewed nodes used no more CPU
   * than allowed.
   */
  private static void clockChecks(
      ScenarioRun run, Duration span, List<FaultNode> onTime, List<FaultNode> skewed, Step during)
      throws Exception {
    Map<String, Long> cpu0 = new java.util.HashMap<>();
    for (FaultNode n : run.survivors()) cpu0.put(n.id(), n.cpuMillis());
    long t0 = System.nanoTime();
    during.run();
    long left = span.toMillis() - (System.nanoTime() - t0) / 1_000_000;
    if (left > 0) waitFor(Duration.ofMillis(left));
    Map<String, Long> used = new java.util.LinkedHashMap<>();
    for (FaultNode n : run.survivors()) used.put(n.id(), n.cpuMillis() - cpu0.get(n.id()));
    long reference = onTime.stream().mapToLong(n -> used.get(n.id())).max().orElse(0);
    run.note("CPU ms over " + span.toSeconds() + " s: " + used);
    for (FaultNode n : skewed) {
      long u = used.get(n.id());
      if (u > reference * CPU_RATIO + CPU_SLACK_MS) {
        run.violation(
            "node "
                + n.id()
                + " (clock skewed) used "
                + u
                + " ms CPU in "
                + span.toSeconds()
                + " s, against "
                + reference
                + " ms for the busiest node on time");
      }
    }
    int live = count(run.db(), "SELECT COUNT(*) FROM QRTZ_SCHEDULER_STATE");
    if (live != run.survivors().size()) {
      run.violation(
          live
              + " check-in rows for "
              + run.survivors().size()
              + " live nodes: a node was declared dead");
    }
  }

  /** No execution early by the database's clock, no firing twice, no node declared dead. */
  private static void probeChecks(ScenarioRun run) throws Exception {
    List<HistoryTables.Probe> probes = HistoryTables.clockProbes(run.db());
    Map<String, List<HistoryTables.Probe>> byNode =
        probes.stream().collect(Collectors.groupingBy(HistoryTables.Probe::node));
    int early = 0;
    for (HistoryTables.Probe p : probes) {
      if (p.scheduled() - p.db() > EARLY_TOLERANCE_MS) {
        if (++early <= 10) {
          run.violation(
              "execution of "
                  + p.task()
                  + " due "
                  + Instant.ofEpochMilli(p.scheduled())
                  + " started "
                  + (p.scheduled() - p.db())
                  + " ms early by the database's clock on "
                  + p.node());
        }
      }
    }
    if (early > 10) run.violation((early - 10) + " more early executions");
    Map<String, Long> firings =
        probes.stream()
            .collect(
                Collectors.groupingBy(p -> p.task() + "@" + p.scheduled(), Collectors.counting()));
    firings.forEach(
        (k, n) -> {
          if (n > 1) run.violation("firing " + k + " executed " + n + " times (clock probe)");
        });
    StringBuilder lateness = new StringBuilder();
    byNode.forEach(
        (node, ps) -> {
          long[] late = ps.stream().mapToLong(p -> p.db() - p.scheduled()).sorted().toArray();
          long[] local = ps.stream().mapToLong(p -> p.local() - p.db()).sorted().toArray();
          lateness
              .append(node)
              .append(": ")
              .append(late.length)
              .append(" runs, late by db clock min/median/max ")
              .append(late[0])
              .append("/")
              .append(late[late.length / 2])
              .append("/")
              .append(late[late.length - 1])
              .append(" ms, wall clock ")
              .append(local[local.length / 2])
              .append(" ms off; ");
        });
    run.note(
        "clock probe: "
            + probes.size()
            + " executions, "
            + early
            + " early by > "
            + EARLY_TOLERANCE_MS
            + " ms; "
            + lateness);
    int abandoned =
        count(
            run.db(),
            "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE OUTCOME = 'ABANDONED' OR RECOVERY = ?",
            true);
    if (abandoned > 0)
      run.violation(
          abandoned
              + " ABANDONED or recovery history entries while every node lived: a false death"
              + " verdict");
    for (FaultNode n : run.survivors()) {
      if (!byNode.containsKey(n.id())) run.note("node " + n.id() + " ran no clock probe");
    }
  }

  /** Waits until some node is running {@code task} and returns that node. */
  private static FaultNode awaitNodeRunning(ScenarioRun run, String task) {
    Map<String, FaultNode> byId =
        run.survivors().stream().collect(Collectors.toMap(FaultNode::id, Function.identity()));
    String[] holder = new String[1];
    await(task + " running on some node")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              holder[0] =
                  runningNodes(run.db(), task).stream()
                      .filter(byId::containsKey)
                      .findFirst()
                      .orElse(null);
              return holder[0] != null;
            });
    return byId.get(holder[0]);
  }

  private static List<String> runningNodes(FaultDatabase db, String task) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT NODE_ID, START_TIME FROM QRTZ_BATON_HISTORY WHERE OUTCOME = 'RUNNING' AND"
                    + " JOB_NAME = ? ORDER BY START_TIME DESC")) {
      s.setString(1, task);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) out.add(r.getString(1));
      }
    }
    return out;
  }

  private static int recoveriesSince(FaultDatabase db, Instant at) throws Exception {
    return count(
        db,
        "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE RECOVERY = ? AND START_TIME >= ?",
        true,
        at.toEpochMilli());
  }

  private static int startedSince(FaultDatabase db, String node, long since) throws Exception {
    return count(
        db,
        "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE NODE_ID = ? AND START_TIME > ?",
        node,
        since);
  }

  /** A count the checks rely on: a failure to read it fails the scenario. */
  private static int strictCount(FaultDatabase db, String sql, Object... args) throws Exception {
    try (Connection c = db.connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  /** A count that may be read while the database restarts: 0 then. */
  private static int count(FaultDatabase db, String sql, Object... args) throws Exception {
    try {
      return strictCount(db, sql, args);
    } catch (java.sql.SQLException e) {
      return 0; // the database may be restarting
    }
  }

  private static void waitFor(Duration d) {
    FaultNode.sleep(d.toMillis());
  }
}
