package dev.baton.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.BatonBuilder;
import dev.baton.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.listeners.JobListenerSupport;

/**
 * Exactly-once jobs and execution fencing tokens, on each database. What the cluster does to a node
 * it declares dead is done here for real by a second node (its recovery), or, where the test needs
 * the moment exactly, by deleting the execution's entry as recovery does.
 */
abstract class ExactlyOnceContract {
  protected TestDatabase db;
  private DataSource reader;
  private final List<Baton> nodes = new ArrayList<>();

  protected abstract TestDatabase newDatabase();

  @BeforeEach
  void setUp() {
    db = newDatabase();
    db.execute(EffectJob.TABLE);
    reader = db.pool(2);
    EffectJob.reset();
    TokenJob.SEEN.clear();
  }

  @AfterEach
  void tearDown() {
    EffectJob.release.countDown();
    for (Baton n : nodes) n.close();
    if (db != null) db.close();
  }

  private Baton node(String id, Task... tasks) {
    BatonBuilder b =
        Baton.builder(db.pool(12))
            .nodeId(id)
            .threads(4)
            .idleWait(Duration.ofMillis(200))
            .checkinInterval(Duration.ofSeconds(30))
            .failureGrace(Duration.ofSeconds(30))
            .drainTimeout(Duration.ofSeconds(5));
    for (Task t : tasks) b.task(t);
    Baton n = b.build();
    nodes.add(n);
    return n;
  }

  @Test
  void everyExecutionHasAFencingTokenThatGrowsWithEachFiring() {
    node("n1", Task.named("tokens").every(Duration.ofMillis(100)).runs(TokenJob.class).build())
        .start();
    await().atMost(Duration.ofSeconds(30)).until(() -> succeeded("tokens") >= 6);

    List<long[]> rows = new ArrayList<>(); // scheduled time, token
    Map<String, Long> byId = new HashMap<>();
    query(
        "SELECT ID, SCHEDULED_TIME, FENCING_TOKEN FROM QRTZ_BATON_HISTORY WHERE JOB_NAME ="
            + " 'tokens' AND OUTCOME = 'SUCCEEDED' ORDER BY SCHEDULED_TIME",
        rs -> {
          assertThat(rs.getObject(3)).as("history token of %s", rs.getString(1)).isNotNull();
          rows.add(new long[] {rs.getLong(2), rs.getLong(3)});
          byId.put(rs.getString(1), rs.getLong(3));
        });
    for (int i = 1; i < rows.size(); i++) {
      assertThat(rows.get(i)[1])
          .as("token of the firing due %d", rows.get(i)[0])
          .isGreaterThan(rows.get(i - 1)[1]);
    }
    byId.forEach(
        (id, token) -> assertThat(TokenJob.SEEN.get(id)).as("token the job saw").isEqualTo(token));
  }

  @Test
  void theWorkOfAnExactlyOnceJobCommitsWithItsCompletionOrNotAtAll() {
    node(
            "n1",
            Task.named("works").every(Duration.ofMillis(100)).runs(EffectJob.class).build(),
            Task.named("fails")
                .every(Duration.ofMillis(100))
                .runs(EffectJob.class)
                .data("mode", "fail")
                .build())
        .start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> succeeded("works") >= 5 && outcome("fails", "FAILED") >= 5);
    nodes.get(0).close();

    assertThat(
            count(
                "SELECT COUNT(*) FROM effects E JOIN QRTZ_BATON_HISTORY H ON H.ID = E.FIRE_ID"
                    + " WHERE H.JOB_NAME = 'fails'"))
        .as("rows written by executions that failed")
        .isZero();
    assertThat(
            count(
                "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY H WHERE H.JOB_NAME = 'works' AND"
                    + " H.OUTCOME = 'SUCCEEDED' AND NOT EXISTS (SELECT 1 FROM effects E WHERE"
                    + " E.FIRE_ID = H.ID)"))
        .as("succeeded executions without their row")
        .isZero();
    assertThat(
            count(
                "SELECT COUNT(*) FROM effects E WHERE NOT EXISTS (SELECT 1 FROM"
                    + " QRTZ_BATON_HISTORY H WHERE H.ID = E.FIRE_ID AND H.OUTCOME = 'SUCCEEDED')"))
        .as("rows of executions the history does not show done")
        .isZero();
  }

  /**
   * A node declared dead while its job ran wakes up and commits: refused, rolled back; the
   * execution's successor (here: the firing run again elsewhere) stands.
   */
  @Test
  void theCommitOfAnExecutionTheClusterTookBackIsRefused() throws Exception {
    Baton n1 =
        node(
            "n1",
            Task.named("held")
                .once(Instant.now())
                .runs(EffectJob.class)
                .data("mode", "hold")
                .build());
    n1.start();
    assertThat(EffectJob.held.await(30, TimeUnit.SECONDS)).as("job running").isTrue();
    String fireId = single("SELECT ENTRY_ID FROM QRTZ_FIRED_TRIGGERS WHERE JOB_NAME = 'held'");

    // The cluster takes it back, as recovery does: the execution's entry goes.
    db.execute("DELETE FROM QRTZ_FIRED_TRIGGERS WHERE ENTRY_ID = '" + fireId + "'");
    EffectJob.release.countDown();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> count("SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE OUTCOME = 'FAILED'") == 1);
    assertThat(count("SELECT COUNT(*) FROM effects")).as("rows of the refused commit").isZero();
    assertThat(single("SELECT MESSAGE FROM QRTZ_BATON_HISTORY WHERE ID = '" + fireId + "'"))
        .contains("Commit refused");
  }

  /**
   * A node dies after its exactly-once job committed and before the completion was written: the
   * node that recovers its work must not run the job again, although it requests recovery.
   */
  @Test
  void anExecutionThatCommittedIsNotRunAgainByRecovery() throws Exception {
    Baton n1 = node("n1", Task.named("once").once(Instant.now()).runs(EffectJob.class).build());
    CountDownLatch committed = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    n1.quartz()
        .getListenerManager()
        .addJobListener(
            new JobListenerSupport() {
              @Override
              public String getName() {
                return "stall-after-commit";
              }

              @Override
              public void jobWasExecuted(JobExecutionContext ctx, JobExecutionException e) {
                // Between the job's commit and its completion: the node "dies" here.
                committed.countDown();
                try {
                  never.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException interrupted) {
                  Thread.currentThread().interrupt();
                }
              }
            });
    n1.start();
    assertThat(committed.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(count("SELECT COUNT(*) FROM effects")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE JOB_NAME = 'once'"))
        .as("the completion is not written yet")
        .isEqualTo(1);

    declareDeadAndRecover("n1");

    // A re-run would be a recovery trigger stored with the recovery, then its entry, then its row.
    assertThat(
            count(
                "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE JOB_NAME = 'once' AND TRIGGER_GROUP ="
                    + " 'RECOVERING_JOBS'"))
        .as("recovery scheduled no re-run")
        .isZero();
    assertThat(
            count(
                "SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE JOB_NAME = 'once' AND"
                    + " INSTANCE_NAME = 'n2'"))
        .isZero();
    assertThat(count("SELECT COUNT(*) FROM effects")).isEqualTo(1);
    assertThat(single("SELECT OUTCOME FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = 'once'"))
        .isEqualTo("SUCCEEDED");
    never.countDown();
  }

  /**
   * Recovery that meets an execution whose commit is under way waits for it, and then sees it done:
   * the commit guard's row lock, held here by hand between the guard and the commit, orders the
   * two. Without the lock recovery would read the entry as it was and run the job again.
   */
  @Test
  void recoveryWaitsForACommitUnderWayAndThenDoesNotRunTheJobAgain() throws Exception {
    Baton n1 =
        node(
            "n1",
            Task.named("racing")
                .once(Instant.now())
                .runs(EffectJob.class)
                .data("mode", "hold")
                .build());
    n1.start();
    assertThat(EffectJob.held.await(30, TimeUnit.SECONDS)).isTrue();
    String fireId = single("SELECT ENTRY_ID FROM QRTZ_FIRED_TRIGGERS WHERE JOB_NAME = 'racing'");
    try (Connection guard = db.pool(1).getConnection()) {
      guard.setAutoCommit(false);
      guard.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      // The commit guard's own statement, by primary key (see BatonJobStore#claimExecution).
      try (PreparedStatement ps =
          guard.prepareStatement(
              "UPDATE QRTZ_FIRED_TRIGGERS SET REQUESTS_RECOVERY = ? WHERE SCHED_NAME = ? AND"
                  + " ENTRY_ID = ?")) {
        ps.setBoolean(1, false);
        ps.setString(2, "baton");
        ps.setString(3, fireId);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      db.execute(
          "UPDATE QRTZ_SCHEDULER_STATE SET LAST_CHECKIN_TIME = 1 WHERE INSTANCE_NAME = 'n1'");
      // n2 recovers n1 at its first check-in, within start(): on another thread, which waits in
      // the locked read of n1's entries while the guard's update holds the entry.
      Baton n2 = node("n2");
      CompletableFuture<Baton> started = CompletableFuture.supplyAsync(n2::start);
      await("recovery waiting for the commit under way")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(ExactlyOnceContract::readingEntries);
      guard.commit();
      started.get(30, TimeUnit.SECONDS);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                count("SELECT COUNT(*) FROM QRTZ_SCHEDULER_STATE WHERE INSTANCE_NAME = 'n1'") == 0);
    assertThat(
            count(
                "SELECT COUNT(*) FROM QRTZ_TRIGGERS WHERE JOB_NAME = 'racing' AND TRIGGER_GROUP ="
                    + " 'RECOVERING_JOBS'"))
        .as("recovery scheduled no re-run")
        .isZero();
    assertThat(
            count(
                "SELECT COUNT(*) FROM QRTZ_FIRED_TRIGGERS WHERE JOB_NAME = 'racing' AND"
                    + " INSTANCE_NAME = 'n2'"))
        .isZero();
  }

  /**
   * A node dies while its exactly-once job works, before the commit: recovery runs it again on the
   * survivor, and the dead node's late commit is refused: one row in all.
   */
  @Test
  void anExecutionCutBeforeItsCommitRunsAgainElsewhereAndOnlyThereCommits() throws Exception {
    Baton n1 =
        node(
            "n1",
            Task.named("cut")
                .once(Instant.now())
                .runs(EffectJob.class)
                .data("mode", "hold")
                .build());
    n1.start();
    assertThat(EffectJob.held.await(30, TimeUnit.SECONDS)).isTrue();

    Baton n2 = declareDeadAndRecover("n1");
    // The survivor's re-run holds too (same job data); let both go: n2's commits, n1's is refused.
    EffectJob.release.countDown();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                count(
                        "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = 'cut' AND"
                            + " OUTCOME IN ('SUCCEEDED', 'FAILED')")
                    == 2);
    assertThat(count("SELECT COUNT(*) FROM effects")).as("rows in all").isEqualTo(1);
    // The row is the recovery re-run's (whichever node ran it; n1 is alive and may take it too).
    assertThat(
            count(
                "SELECT COUNT(*) FROM effects E JOIN QRTZ_BATON_HISTORY H ON H.ID = E.fire_id"
                    + " WHERE H.RECOVERY = TRUE AND H.OUTCOME = 'SUCCEEDED'"))
        .as("the committed row is the re-run's")
        .isEqualTo(1);
    assertThat(
            single(
                "SELECT MESSAGE FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = 'cut' AND OUTCOME ="
                    + " 'FAILED'"))
        .as("the cut execution's late commit")
        .contains("Commit refused");
    assertThat(n2.isRunning()).isTrue();
  }

  /**
   * Declares {@code dead} dead (its check-in far in the past) and starts a second node, which
   * recovers its work at its first check-in; returns once the dead node's state row is gone.
   */
  private Baton declareDeadAndRecover(String dead) {
    db.execute(
        "UPDATE QRTZ_SCHEDULER_STATE SET LAST_CHECKIN_TIME = 1 WHERE INSTANCE_NAME = '"
            + dead
            + "'");
    Baton n2 = node("n2");
    n2.start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                count(
                        "SELECT COUNT(*) FROM QRTZ_SCHEDULER_STATE WHERE INSTANCE_NAME = '"
                            + dead
                            + "'")
                    == 0);
    return n2;
  }

  /** Whether a thread is in recovery's locked read of a node's entries. */
  private static boolean readingEntries() {
    for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
      for (StackTraceElement frame : stack) {
        if (frame.getMethodName().equals("selectInstancesFiredTriggerRecords")) return true;
      }
    }
    return false;
  }

  private long succeeded(String task) {
    return outcome(task, "SUCCEEDED");
  }

  private long outcome(String task, String outcome) {
    return count(
        "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = '"
            + task
            + "' AND OUTCOME = '"
            + outcome
            + "'");
  }

  private long count(String sql) {
    return TestDatabase.count(reader, sql);
  }

  private String single(String sql) throws SQLException {
    try (Connection c = reader.getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      assertThat(rs.next()).as("a row from %s", sql).isTrue();
      return rs.getString(1);
    }
  }

  @FunctionalInterface
  private interface RowCheck {
    void check(ResultSet rs) throws SQLException;
  }

  private void query(String sql, RowCheck check) {
    try (Connection c = reader.getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) check.check(rs);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
