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
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the Baton build of the sample, real JVMs on one PostgreSQL: each time of the
 * sample's 2-second cron runs once, and after {@code kill -9} of the instance that ran the latest
 * cron time, the other keeps every cron time, none later than 5 s. Invariants read from the
 * database (Baton's history table). Run by both Baton builds (Boot 3 and Boot 4), from
 * ../src/test-baton.
 */
class BatonFailoverTest {
  private static final long CRON_PERIOD_MS = 2000;
  private static final long MAX_LATENESS_MS = 5000;

  private final PostgresDatabase db = new PostgresDatabase();
  private final DataSource pool = db.pool(2);
  private final Map<String, SampleInstance> instances = new LinkedHashMap<>();

  /** One cron execution as the history recorded it. */
  private record Run(long scheduled, long started, String node) {}

  @AfterEach
  void stop() {
    instances.values().forEach(i -> i.process.destroyForcibly());
    db.close();
  }

  @Test
  void eachCronTimeRunsOnceAndTheSurvivorTakesOverWithinFiveSeconds() throws Exception {
    start("node-a");
    start("node-b");
    long bothUp = System.currentTimeMillis();
    // A few cron times with both instances up.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> runs().stream().filter(r -> r.scheduled() > bothUp).count() >= 3);

    // Kill the instance that ran the latest cron time: the one firing, so the survivor must take
    // over.
    List<Run> beforeKill = runs();
    String victim = beforeKill.get(beforeKill.size() - 1).node();
    String survivor = victim.equals("node-a") ? "node-b" : "node-a";
    SampleInstance dying = instances.get(victim);
    dying.process.destroyForcibly(); // SIGKILL: no shutdown hook, no drain, no leaving the cluster
    assertThat(dying.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long killed = System.currentTimeMillis();
    long until = killed + 10_000;
    await()
        .atMost(Duration.ofSeconds(40))
        .until(() -> runs().stream().anyMatch(r -> r.scheduled() >= until));

    List<Run> window =
        runs().stream().filter(r -> r.scheduled() > bothUp && r.scheduled() <= until).toList();
    System.out.println("killed " + victim + " at " + killed + "; cron runs: " + window);
    // Once: no cron time twice, across both instances.
    assertThat(window.stream().map(Run::scheduled).distinct().count())
        .as("duplicates in %s", window)
        .isEqualTo(window.size());
    // Every cron time: consecutive times one period apart, through the kill.
    for (int i = 1; i < window.size(); i++) {
      assertThat(window.get(i).scheduled() - window.get(i - 1).scheduled())
          .as("gap in %s", window)
          .isEqualTo(CRON_PERIOD_MS);
    }
    // The killed instance was firing: it ran cron times with both up, the latest before the kill
    // among them.
    assertThat(window)
        .as("runs of %s before the kill", victim)
        .anyMatch(r -> r.node().equals(victim) && r.scheduled() < killed);
    // Fail-over: every cron time after the kill ran on the survivor (four or more in the 10 s after
    // it), and what falls due around and after the kill runs under 5 s late.
    List<Run> afterKill = window.stream().filter(r -> r.scheduled() > killed).toList();
    assertThat(afterKill)
        .as("runs after the kill")
        .hasSizeGreaterThanOrEqualTo(4)
        .allMatch(r -> r.node().equals(survivor));
    for (Run r : window) {
      if (r.scheduled() >= killed - CRON_PERIOD_MS) {
        assertThat(r.started() - r.scheduled()).as("lateness of %s", r).isLessThan(MAX_LATENESS_MS);
      }
    }
  }

  private List<Run> runs() throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT SCHEDULED_TIME, START_TIME, NODE_ID FROM QRTZ_BATON_HISTORY"
                    + " WHERE TRIGGER_NAME = 'cleanupCron' ORDER BY SCHEDULED_TIME")) {
      List<Run> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) out.add(new Run(rs.getLong(1), rs.getLong(2), rs.getString(3)));
      }
      return out;
    } catch (SQLException e) {
      if (e.getMessage().contains("does not exist")) return List.of(); // before the first migration
      throw e;
    }
  }

  private void start(String nodeId) throws Exception {
    instances.put(nodeId, SampleInstance.start(db, nodeId).awaitStarted());
  }
}
