package dev.baton.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sample's {@code JobDetail} and {@code Trigger} beans with {@code
 * spring.quartz.overwrite-existing-jobs=true}: at each start Spring stores every trigger again
 * ({@code rescheduleJob}), built at boot. Two instances (real JVMs, one PostgreSQL) starting
 * together, then one restarted: every fire time of every trigger runs once and none is skipped,
 * read from Baton's history table. The triggers start 3 s before they are stored ({@link
 * TriggersBuiltEarlier}), as after a slow boot. Run by both Baton builds, from ../src/test-baton.
 */
class BatonReRegistrationTest {
  /** The sample's triggers that fire every second or two, and their periods. */
  private static final Map<String, Long> PERIODS =
      Map.of(
          "reportEverySecond", 1000L,
          "inventoryEverySecond", 1000L,
          "cleanupCron", 2000L,
          "reportCalendarInterval", 2000L,
          "cleanupDailyInterval", 2000L);

  private final PostgresDatabase db = new PostgresDatabase();
  private final DataSource pool = db.pool(2);
  private final Map<String, SampleInstance> instances = new LinkedHashMap<>();

  @AfterEach
  void stop() {
    instances.values().forEach(i -> i.process.destroyForcibly());
    db.close();
  }

  @Test
  void instancesStartingTogetherAndRestartingRunEachFireTimeOnce() throws Exception {
    SampleInstance a = start("node-a");
    SampleInstance b = start("node-b");
    a.awaitStarted();
    b.awaitStarted();
    awaitFirings(3);

    // A restart, as a deployment does it: stopped gracefully, started again.
    a.process.destroy();
    assertThat(a.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    start("node-a").awaitStarted();
    awaitFirings(3);
    for (SampleInstance i : instances.values()) i.process.destroy();
    for (SampleInstance i : instances.values()) i.process.waitFor(60, TimeUnit.SECONDS);

    Map<String, List<Long>> times = scheduledTimes();
    Map<String, List<String>> wrong = new TreeMap<>();
    for (Map.Entry<String, Long> p : PERIODS.entrySet()) {
      List<Long> t = times.get(p.getKey());
      assertThat(t).as("runs of %s", p.getKey()).isNotNull().hasSizeGreaterThan(3);
      for (int i = 1; i < t.size(); i++) {
        if (t.get(i) - t.get(i - 1) != p.getValue()) {
          wrong
              .computeIfAbsent(p.getKey(), k -> new ArrayList<>())
              .add(t.get(i - 1) + " -> " + t.get(i));
        }
      }
    }
    assertThat(wrong)
        .as("fire times run twice or skipped (consecutive times not one period apart)")
        .isEmpty();
  }

  /** Waits for {@code more} new runs of each trigger. */
  private void awaitFirings(int more) throws SQLException {
    Map<String, List<Long>> before = scheduledTimes();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Map<String, List<Long>> now = scheduledTimes();
              return PERIODS.keySet().stream()
                  .allMatch(
                      n ->
                          now.getOrDefault(n, List.of()).size()
                              >= before.getOrDefault(n, List.of()).size() + more);
            });
  }

  /** The history's scheduled times, by trigger, in order. */
  private Map<String, List<Long>> scheduledTimes() throws SQLException {
    Map<String, List<Long>> out = new TreeMap<>();
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT TRIGGER_NAME, SCHEDULED_TIME FROM QRTZ_BATON_HISTORY"
                    + " WHERE SCHEDULED_TIME IS NOT NULL ORDER BY TRIGGER_NAME, SCHEDULED_TIME");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getLong(2));
      }
    } catch (SQLException e) {
      if (e.getMessage().contains("does not exist")) return out; // before the first migration
      throw e;
    }
    return out;
  }

  private SampleInstance start(String nodeId) throws Exception {
    SampleInstance i =
        SampleInstance.start(
            db,
            nodeId,
            "--spring.quartz.overwrite-existing-jobs=true",
            "--sample.triggers-built-before-ms=3000");
    instances.put(nodeId, i);
    return i;
  }
}
