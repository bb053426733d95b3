package dev.baton.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sample with an {@code @ExactlyOnce} job whose writes go through a {@code @Transactional}
 * service (the Baton builds only): real JVMs on one PostgreSQL, {@code kill -9} of the instance
 * running the job at a random moment of an execution, then SIGSTOP of the one running it past
 * failure detection. From the database: every execution the history shows done has its one row
 * (written and finished inside the execution's transaction) and no other row exists, no firing has
 * two, and committed rows never overlap in time.
 */
class ExactlyOnceFailoverTest {
  private final PostgresDatabase db = new PostgresDatabase();
  private final DataSource pool = db.pool(2);
  private final Map<String, Process> instances = new LinkedHashMap<>();
  private final Random random = new Random();

  @AfterEach
  void stop() {
    instances.values().forEach(Process::destroyForcibly);
    db.close();
  }

  @Test
  void eachExecutionShownDoneCommittedItsWorkOnceThroughAKillAndAStall() throws Exception {
    start("node-a");
    start("node-b");
    await().atMost(Duration.ofSeconds(60)).until(() -> succeeded() >= 3);

    String victim = awaitRunningOn();
    Thread.sleep(random.nextInt(1_400)); // a random moment of the execution: the fault's timing
    Process dying = instances.remove(victim);
    dying.destroyForcibly(); // SIGKILL
    assertThat(dying.waitFor(10, TimeUnit.SECONDS)).isTrue();
    start("node-c");
    long afterKill = succeeded();
    await().atMost(Duration.ofSeconds(60)).until(() -> succeeded() >= afterKill + 3);

    String stalled = awaitRunningOn();
    Thread.sleep(random.nextInt(1_000));
    long pid = instances.get(stalled).pid();
    signal("STOP", pid);
    Thread.sleep(6_000); // the stall itself: past failure detection (1 s check-in, 2 s grace)
    signal("CONT", pid);
    long afterStall = succeeded();
    await().atMost(Duration.ofSeconds(60)).until(() -> succeeded() >= afterStall + 3);
    instances.values().forEach(Process::destroyForcibly);

    assertThat(
            count(
                "SELECT COUNT(*) FROM effects E WHERE NOT EXISTS (SELECT 1 FROM"
                    + " QRTZ_BATON_HISTORY H WHERE H.ID = E.fire_id AND H.OUTCOME = 'SUCCEEDED')"))
        .as("rows of executions not shown done")
        .isZero();
    assertThat(
            count(
                "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY H WHERE H.JOB_NAME = 'effectsJob' AND"
                    + " H.OUTCOME = 'SUCCEEDED' AND NOT EXISTS (SELECT 1 FROM effects E WHERE"
                    + " E.fire_id = H.ID AND E.ended_ms IS NOT NULL)"))
        .as("executions shown done without their finished row")
        .isZero();
    assertThat(
            count(
                "SELECT COUNT(*) FROM (SELECT H.TRIGGER_NAME, H.SCHEDULED_TIME FROM effects E JOIN"
                    + " QRTZ_BATON_HISTORY H ON H.ID = E.fire_id GROUP BY H.TRIGGER_NAME,"
                    + " H.SCHEDULED_TIME HAVING COUNT(*) > 1) X"))
        .as("firings with two committed rows")
        .isZero();
    long[] previous = null;
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT fire_id, started_ms, ended_ms FROM effects ORDER BY started_ms");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        if (previous != null) {
          assertThat(rs.getLong(2))
              .as("%s starts after the previous committed row ended", rs.getString(1))
              .isGreaterThanOrEqualTo(previous[1]);
        }
        previous = new long[] {rs.getLong(2), rs.getLong(3)};
      }
    }
  }

  private long succeeded() {
    return count(
        "SELECT COUNT(*) FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = 'effectsJob' AND OUTCOME ="
            + " 'SUCCEEDED'");
  }

  /** The live instance running the job now, once one is. */
  private String awaitRunningOn() {
    String[] node = new String[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              try (Connection c = pool.getConnection();
                  PreparedStatement s =
                      c.prepareStatement(
                          "SELECT NODE_ID FROM QRTZ_BATON_HISTORY WHERE JOB_NAME = 'effectsJob'"
                              + " AND OUTCOME = 'RUNNING'");
                  ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                  if (instances.containsKey(rs.getString(1))) {
                    node[0] = rs.getString(1);
                    return true;
                  }
                }
                return false;
              }
            });
    return node[0];
  }

  private long count(String sql) {
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      if (e.getMessage().contains("does not exist")) return 0; // before the first migration
      throw new IllegalStateException(e);
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
        .as("kill -%s %d", signal, pid)
        .isTrue();
  }

  private void start(String nodeId) throws Exception {
    SampleInstance i =
        SampleInstance.start(
            db,
            nodeId,
            "--sample.exactly-once=true",
            // The application has no migrations of its own; the effects table it creates at
            // start would make Boot's Flyway refuse the non-empty schema.
            "--spring.flyway.enabled=false");
    instances.put(nodeId, i.process);
    i.awaitStarted();
  }
}
