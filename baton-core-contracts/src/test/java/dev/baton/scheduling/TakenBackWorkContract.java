package dev.baton.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.testing.NonConcurrentJob;
import dev.baton.testing.Recorder;
import dev.baton.testing.Recorder.Execution;
import dev.baton.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a node does with work the cluster took back from it, as it happens to a node paused past
 * failure detection (the fault suite's SIGSTOP scenario finds it with real processes; this test
 * recreates the database side of a recovery in place, deterministically). One subclass per
 * database.
 */
abstract class TakenBackWorkContract {
  protected TestDatabase db;
  private Baton node;

  protected abstract TestDatabase newDatabase();

  @BeforeEach
  void setUp() {
    Recorder.clear();
    db = newDatabase();
  }

  @AfterEach
  void tearDown() {
    if (node != null) node.close();
    if (db != null) db.close();
  }

  /**
   * A non-concurrent job's execution is taken back (its fired-trigger entry deleted and its trigger
   * unblocked, as Quartz's recovery does) and run again; when the taken-back execution finishes,
   * its completion must not unblock the trigger while the second execution runs. Stock Quartz did,
   * and a third execution then overlapped the second.
   */
  @Test
  void theCompletionOfATakenBackExecutionDoesNotUnblockANonConcurrentJob() throws Exception {
    node =
        Baton.builder(db.pool(16))
            .nodeId("paused")
            .threads(4)
            .idleWait(Duration.ofMillis(200))
            .drainTimeout(Duration.ofSeconds(10))
            .task(
                Task.named("nc")
                    .every(Duration.ofMillis(200))
                    .runs(NonConcurrentJob.class)
                    .data("sleepMillis", "3000")
                    .build())
            .start();
    await().atMost(Duration.ofSeconds(30)).until(() -> Recorder.startedOf("nc").size() == 1);

    // The cluster takes the execution back, as when it declares its node dead.
    update("DELETE FROM QRTZ_FIRED_TRIGGERS WHERE JOB_NAME = 'nc' AND STATE = 'EXECUTING'");
    update(
        "UPDATE QRTZ_TRIGGERS SET TRIGGER_STATE = 'WAITING' WHERE JOB_NAME = 'nc' AND TRIGGER_STATE"
            + " = 'BLOCKED'");
    await().atMost(Duration.ofSeconds(30)).until(() -> Recorder.startedOf("nc").size() >= 2);
    // The first execution ends (~3 s) while the second runs; then the second ends and a third runs.
    await().atMost(Duration.ofSeconds(30)).until(() -> Recorder.of("nc").size() >= 3);

    List<Execution> runs = new ArrayList<>(Recorder.of("nc"));
    runs.sort(Comparator.comparing(Execution::started));
    for (int i = 2; i < runs.size(); i++) {
      assertThat(runs.get(i).started())
          .as(
              "run %d must start after run %d ended: the taken-back run's completion must not"
                  + " unblock the job",
              i, i - 1)
          .isAfterOrEqualTo(runs.get(i - 1).ended());
    }
  }

  private void update(String sql) throws SQLException {
    try (Connection c = db.pool(1).getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }
}
