package dev.baton.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.internal.database.Database;
import dev.baton.internal.database.SchemaMigrator;
import dev.baton.testing.Recorder;
import dev.baton.testing.RecordingJob;
import dev.baton.testing.TestDatabase;
import dev.baton.testing.TestNodes;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Baton's schema as a fresh install creates it and as every earlier Baton schema version holding
 * data upgrades to it: the same indexes (only those its statements use), and the stored work still
 * fires. Adoption of a stock Quartz schema is covered in {@link QuartzDataContract}. One small
 * subclass per database.
 */
abstract class SchemaContract {
  /** Every earlier released schema version (9 was never released). */
  private static final List<String> EARLIER =
      List.of("1", "2", "3", "4", "5", "6", "7", "8", "10", "11");

  /** Quartz's indexes that Baton keeps, without the prefix; every other Quartz index goes. */
  static final Set<String> KEPT =
      Set.of(
          "J_GRP",
          "T_J",
          "T_N_G_STATE",
          "T_NFT_ST_PRIO",
          "FT_INST_JOB_REQ_RCVRY",
          "FT_J_G",
          "FT_T_G");

  private TestDatabase db;
  private TestNodes nodes;

  protected abstract TestDatabase newDatabase();

  @BeforeEach
  void setUp() {
    Recorder.clear();
    db = newDatabase();
    nodes = new TestNodes(db);
  }

  @AfterEach
  void tearDown() {
    if (nodes != null) nodes.close();
    if (db != null) db.close();
  }

  @Test
  void aFreshInstallCarriesOnlyTheIndexesItsStatementsUse() throws SQLException {
    nodes.start("a", b -> b);
    assertThat(quartzIndexes(db.pool(1), "QRTZ_")).isEqualTo(new TreeSet<>(KEPT));
  }

  @Test
  void everyEarlierSchemaVersionHoldingDataUpgradesAndItsWorkFires() throws SQLException {
    Database database = Database.connect(db.pool(2), Duration.ofSeconds(30));
    for (String version : EARLIER) {
      String prefix = "U" + version + "_";
      new SchemaMigrator(database, prefix).migrateTo(version);
      storeDueOneOff(db.pool(2), prefix, "up-from-" + version);

      Baton node = nodes.start("n" + version, b -> b.clusterName("up").tablePrefix(prefix));
      await()
          .atMost(Duration.ofSeconds(40))
          .until(() -> Recorder.of("up-from-" + version).size() == 1);
      node.close();

      assertThat(Recorder.of("up-from-" + version)).as("from version " + version).hasSize(1);
      assertThat(quartzIndexes(db.pool(1), prefix)).as("from version " + version).isEqualTo(KEPT);
    }
  }

  /** A one-off job due now, written as every schema version since 1 holds it. */
  private static void storeDueOneOff(DataSource ds, String prefix, String name)
      throws SQLException {
    long now = System.currentTimeMillis();
    try (Connection c = ds.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO "
                  + prefix
                  + "JOB_DETAILS (SCHED_NAME, JOB_NAME, JOB_GROUP, DESCRIPTION, JOB_CLASS_NAME,"
                  + " IS_DURABLE, IS_NONCONCURRENT, IS_UPDATE_DATA, REQUESTS_RECOVERY, JOB_DATA)"
                  + " VALUES ('up', ?, 'DEFAULT', NULL, ?, ?, ?, ?, ?, NULL)")) {
        ps.setString(1, name);
        ps.setString(2, RecordingJob.class.getName());
        ps.setBoolean(3, false);
        ps.setBoolean(4, false);
        ps.setBoolean(5, false);
        ps.setBoolean(6, false);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO "
                  + prefix
                  + "TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, JOB_NAME, JOB_GROUP,"
                  + " DESCRIPTION, NEXT_FIRE_TIME, PREV_FIRE_TIME, PRIORITY, TRIGGER_STATE,"
                  + " TRIGGER_TYPE, START_TIME, END_TIME, CALENDAR_NAME, MISFIRE_INSTR, JOB_DATA)"
                  + " VALUES ('up', ?, 'DEFAULT', ?, 'DEFAULT', NULL, ?, -1, 5, 'WAITING',"
                  + " 'SIMPLE', ?, 0, NULL, 0, NULL)")) {
        ps.setString(1, name);
        ps.setString(2, name);
        ps.setLong(3, now);
        ps.setLong(4, now);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO "
                  + prefix
                  + "SIMPLE_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, REPEAT_COUNT,"
                  + " REPEAT_INTERVAL, TIMES_TRIGGERED) VALUES ('up', ?, 'DEFAULT', 0, 0, 0)")) {
        ps.setString(1, name);
        ps.executeUpdate();
      }
    }
  }

  /**
   * The Quartz tables' secondary indexes named {@code IDX_<prefix>…}, upper case, without that
   * head: what a schema carries beside its primary keys (and MySQL's foreign-key indexes).
   */
  static Set<String> quartzIndexes(DataSource ds, String prefix) throws SQLException {
    Set<String> out = new TreeSet<>();
    String head = "IDX_" + prefix.toUpperCase(Locale.ROOT);
    try (Connection c = ds.getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      for (String table : List.of("JOB_DETAILS", "TRIGGERS", "FIRED_TRIGGERS")) {
        String name = prefix + table;
        for (String spelled :
            new TreeSet<>(List.of(name, name.toLowerCase(Locale.ROOT), name.toUpperCase()))) {
          try (ResultSet rs = meta.getIndexInfo(c.getCatalog(), null, spelled, false, false)) {
            while (rs.next()) {
              String index = rs.getString("INDEX_NAME");
              if (index == null) continue;
              index = index.toUpperCase(Locale.ROOT);
              if (index.startsWith(head)) out.add(index.substring(head.length()));
            }
          }
        }
      }
    }
    return out;
  }
}
