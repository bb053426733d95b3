package dev.baton.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.history.HistoryJobs.GatedJob;
import dev.baton.scheduling.DepartedNode;
import dev.baton.scheduling.DepartedNode.Departure;
import dev.baton.scheduling.DepartedNode.Fate;
import dev.baton.scheduling.Task;
import dev.baton.testing.Recorder;
import dev.baton.testing.TestDatabase;
import dev.baton.testing.TestNodes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Departed nodes with real nodes on one real database: a node that leaves cleanly and one declared
 * dead are recorded, the latter with what was running on it and where it was re-run, and they drop
 * out of view after the window asked for. One small subclass per database.
 */
abstract class DepartedNodesContract {
  private static final Duration WAIT = Duration.ofSeconds(40);

  protected TestDatabase db;
  private TestNodes nodes;

  protected abstract TestDatabase newDatabase();

  @BeforeEach
  void setUp() {
    Recorder.clear();
    GatedJob.GATES.clear();
    GatedJob.SCHEDULERS.clear();
    db = newDatabase();
    nodes = new TestNodes(db);
  }

  @AfterEach
  void tearDown() {
    GatedJob.GATES.values().forEach(CountDownLatch::countDown);
    if (nodes != null) nodes.close();
    if (db != null) db.close();
  }

  @Test
  void aNodeThatLeavesCleanlyIsListedAsLeftWithItsTimeAndNoRecoveries() throws Exception {
    Baton stays = nodes.start("stays", b -> b);
    Baton leaves = nodes.start("leaves", b -> b);
    await().atMost(WAIT).until(() -> stays.nodes().size() == 2);
    assertThat(stays.departedNodes(Duration.ofHours(24))).isEmpty();
    Instant before = Instant.now().minusSeconds(5);

    leaves.close();

    List<DepartedNode> departed = stays.departedNodes(Duration.ofHours(24));
    assertThat(departed)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.nodeId()).isEqualTo("leaves");
              assertThat(d.departure()).isEqualTo(Departure.LEFT);
              assertThat(d.declaredBy()).isNull();
              assertThat(d.departedAt()).isAfter(before).isBefore(Instant.now().plusSeconds(5));
              assertThat(d.host()).isNotNull();
              assertThat(d.pid()).isEqualTo(ProcessHandle.current().pid());
              assertThat(d.startedAt()).isNotNull();
              assertThat(d.recovered()).isEmpty();
            });
    // The database holds one row, and the node is no longer a member.
    assertThat(
            rows("SELECT DEPARTURE FROM QRTZ_BATON_DEPARTED_NODES WHERE INSTANCE_NAME = 'leaves'"))
        .containsExactly("LEFT");
    assertThat(stays.nodes()).extracting(n -> n.nodeId()).containsExactly("stays");
  }

  @Test
  void aNodeDeclaredDeadIsListedWithWhoDeclaredItAndWhatWasRecoveredWhere() throws Exception {
    GatedJob.GATES.put("long", new CountDownLatch(1));
    GatedJob.GATES.put("plain", new CountDownLatch(1));
    Baton doomed = nodes.start("doomed", b -> b);
    Instant at = Instant.now();
    doomed.register(
        Task.named("long")
            .once(at)
            .runs(GatedJob.class)
            .data("blockOn", "doomed")
            .recoverable()
            .build());
    doomed.register(
        Task.named("plain").once(at).runs(GatedJob.class).data("blockOn", "doomed").build());
    await()
        .atMost(WAIT)
        .until(
            () ->
                doomed
                        .history()
                        .query(HistoryQuery.all().outcomes(Outcome.RUNNING))
                        .entries()
                        .size()
                    == 2);
    Baton heir = nodes.start("heir", b -> b);

    // No clean leave: its scheduler stops dead, no more check-ins, its jobs still blocked.
    GatedJob.SCHEDULERS.get("doomed").shutdown(false);

    await()
        .atMost(WAIT)
        .until(
            () ->
                heir.departedNodes(Duration.ofHours(1)).stream()
                    .anyMatch(
                        d ->
                            d.recovered().stream()
                                .anyMatch(
                                    r ->
                                        r.fate() == Fate.RERUN
                                            && r.rerunOutcome() == Outcome.SUCCEEDED)));
    DepartedNode d = heir.departedNodes(Duration.ofHours(1)).get(0);
    assertThat(d.nodeId()).isEqualTo("doomed");
    assertThat(d.departure()).isEqualTo(Departure.DECLARED_DEAD);
    assertThat(d.declaredBy()).isEqualTo("heir");
    assertThat(d.recovered()).hasSize(2);
    DepartedNode.Recovered rerun =
        d.recovered().stream().filter(r -> r.task().equals("long")).findFirst().orElseThrow();
    assertThat(rerun.outcome()).isEqualTo(Outcome.ABANDONED);
    assertThat(rerun.fate()).isEqualTo(Fate.RERUN);
    assertThat(rerun.rerunNode()).isEqualTo("heir");
    assertThat(heir.history().find(rerun.rerunId()).orElseThrow().recovery()).isTrue();
    DepartedNode.Recovered lost =
        d.recovered().stream().filter(r -> r.task().equals("plain")).findFirst().orElseThrow();
    assertThat(lost.fate()).isEqualTo(Fate.ABANDONED);
    assertThat(lost.rerunId()).isNull();
    assertThat(lost.outcome()).isEqualTo(Outcome.ABANDONED);
    // Written in the recovery transaction: the node's check-in row is gone with it.
    assertThat(
            rows(
                "SELECT DECLARED_BY FROM QRTZ_BATON_DEPARTED_NODES WHERE INSTANCE_NAME = 'doomed'"))
        .containsExactly("heir");
    assertThat(
            rows("SELECT INSTANCE_NAME FROM QRTZ_SCHEDULER_STATE WHERE INSTANCE_NAME = 'doomed'"))
        .isEmpty();
  }

  @Test
  void departuresDropOutOfViewAfterTheWindowAndBadWindowsAreRefused() throws Exception {
    Baton stays = nodes.start("stays", b -> b);
    nodes.start("brief", b -> b).close();
    assertThat(stays.departedNodes(Duration.ofSeconds(3)))
        .extracting(DepartedNode::nodeId)
        .containsExactly("brief");

    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> stays.departedNodes(Duration.ofSeconds(3)).isEmpty());
    assertThat(stays.departedNodes(Duration.ofHours(1))).hasSize(1);
    assertThatThrownBy(() -> stays.departedNodes(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("within");
    assertThatThrownBy(() -> stays.departedNodes(Duration.ofDays(8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT168H");
  }

  private List<String> rows(String sql) throws Exception {
    DataSource ds = db.pool(1);
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }
}
