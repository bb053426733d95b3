package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.baton.testing.H2Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every bad setting is refused up front, by name, and nothing is written to the database. */
class SettingsValidationTest {
  private final H2Database db = new H2Database();
  private final DataSource pool = db.pool(4);

  @AfterEach
  void tearDown() {
    if (db != null) db.close();
  }

  private void refused(String setting, UnaryOperator<BatonBuilder> bad) {
    assertThatThrownBy(() -> bad.apply(Baton.builder(pool)).start())
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("'" + setting + "'")
        .satisfies(e -> assertThat(((InvalidSettingException) e).setting()).isEqualTo(setting));
  }

  @Test
  void badSettingsAreRefusedByName() throws Exception {
    refused("dataSource", b -> Baton.builder(null));
    refused("clusterName", b -> b.clusterName(" "));
    refused("nodeId", b -> b.nodeId("has space"));
    refused("tablePrefix", b -> b.tablePrefix("1BAD"));
    refused("tablePrefix", b -> b.tablePrefix("X; DROP TABLE Y"));
    refused("threads", b -> b.threads(0));
    refused("checkinInterval", b -> b.checkinInterval(Duration.ofMillis(10)));
    refused(
        "failureGrace",
        b -> b.checkinInterval(Duration.ofSeconds(5)).failureGrace(Duration.ofSeconds(1)));
    refused("misfireThreshold", b -> b.misfireThreshold(Duration.ZERO));
    refused("idleWait", b -> b.idleWait(null));
    refused("batchSize", b -> b.threads(4).batchSize(0));
    refused("batchSize", b -> b.threads(4).batchSize(1001));
    refused("drainTimeout", b -> b.drainTimeout(Duration.ofSeconds(-1)));
    refused("startupTimeout", b -> b.startupTimeout(Duration.ZERO));
    refused("historyRetention", b -> b.historyRetention(Duration.ofMinutes(59)));
    refused("historyRetention", b -> b.historyRetention(null));
    refused("historyMaxRows", b -> b.historyMaxRows(0));
    assertThat(tableCount()).as("nothing written").isZero();
  }

  @Test
  void virtualThreadsAreRefusedOnAJvmWithoutThemAndNamed() throws Exception {
    if (Runtime.version().feature() >= 21) {
      assertThat(Baton.builder(pool).virtualThreads(true).settings().virtualThreads()).isTrue();
      return;
    }
    refused("virtualThreads", b -> b.virtualThreads(true));
    assertThatThrownBy(() -> Baton.builder(pool).virtualThreads(true).settings())
        .hasMessageContaining(
            "needs Java 21 or later, and this JVM is Java " + Runtime.version().feature());
    assertThat(tableCount()).as("nothing written").isZero();
  }

  @Test
  void duplicateTaskNamesAreRefused() {
    var t =
        dev.baton.scheduling.Task.named("x")
            .every(Duration.ofSeconds(1))
            .runs(dev.baton.testing.RecordingJob.class)
            .build();
    refused("tasks", b -> b.task(t).task(t));
  }

  @Test
  void aMissingPluginDirectoryIsNamed() {
    assertThatThrownBy(
            () ->
                Baton.builder(pool).pluginDirectory(java.nio.file.Path.of("/no/such/dir")).start())
        .isInstanceOf(BatonException.class)
        .hasMessageContaining("/no/such/dir");
  }

  @Test
  void anUnsupportedDatabaseIsRefusedWithWhatIsSupported() throws Exception {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl("jdbc:hsqldb:mem:unsupported");
    c.setUsername("SA");
    try (HikariDataSource hsqldb = new HikariDataSource(c)) {
      assertThatThrownBy(() -> Baton.builder(hsqldb).start())
          .isInstanceOf(UnsupportedDatabaseException.class)
          .hasMessageContaining("HSQL")
          .hasMessageContaining("PostgreSQL 13+")
          .hasMessageContaining("MariaDB 10.6+");
      try (Connection conn = hsqldb.getConnection();
          ResultSet rs =
              conn.getMetaData().getTables(null, "PUBLIC", "%", new String[] {"TABLE"})) {
        assertThat(rs.next()).as("nothing written").isFalse();
      }
    }
  }

  @Test
  void anUnreachableDatabaseFailsClearlyAfterTheStartupTimeout() {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/nothing");
    c.setConnectionTimeout(250);
    c.setInitializationFailTimeout(-1);
    try (HikariDataSource nowhere = new HikariDataSource(c)) {
      assertThatThrownBy(() -> Baton.builder(nowhere).startupTimeout(Duration.ofSeconds(1)).start())
          .isInstanceOf(DatabaseUnavailableException.class)
          .hasMessageContaining("unreachable")
          .hasMessageContaining("startupTimeout");
    }
  }

  private int tableCount() throws Exception {
    try (Connection c = pool.getConnection();
        ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "%", new String[] {"TABLE"})) {
      int n = 0;
      while (rs.next()) n++;
      return n;
    }
  }
}
