package dev.baton.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baton.testing.MariaDbDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The cluster fault suite: real node processes ({@code baton-server/target/baton.jar}) on one real
 * PostgreSQL 17 (and MariaDB when reachable), real faults, guarantees checked from the database.
 * Runs in {@code mvn verify} (the short run); {@code -Dbaton.soak=PT30M} or {@code BATON_SOAK=30m}
 * repeats the scenarios for that long instead. Prints the summary table and writes it to
 * {@code target/fault-summary.md}; any violation fails the scenario with the list.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {
  private final List<ScenarioReport> reports = new ArrayList<>();
  private final Path target = Path.of(System.getProperty("baton.fault.dir", "target"));
  private PostgresServer postgres;
  private Scenarios scenarios;
  private int databases;

  @BeforeAll
  void start() throws Exception {
    Path jar = Path.of(System.getProperty("baton.jar", "../baton-server/target/baton.jar")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) throw new IllegalStateException(jar + " is missing: run the package phase first (mvn -B verify)");
    Path plugins = target.resolve("fault-plugins");
    PluginJars.fencedWriter(plugins.resolve("fenced"));
    PluginJars.clockProbe(plugins.resolve("clock"));
    PluginJars.failOnce(plugins.resolve("retry"));
    PluginJars.upgrade(plugins.resolve("v1"), "v1", "A", "B");
    PluginJars.upgrade(plugins.resolve("v2"), "v2", "A", "C");
    postgres = new PostgresServer(target.resolve("fault-logs"));
    scenarios = new Scenarios(jar, plugins, target.resolve("fault-logs"));
  }

  @AfterAll
  void finish() {
    String command = soak() == null ? "mvn -B verify" : "mvn -B verify -Dbaton.soak=" + soak();
    String table = Summary.table(reports, command);
    System.out.println("\n=== Baton cluster fault suite ===\n" + table);
    Summary.write(target.resolve("fault-summary.md"), table);
    if (postgres != null) postgres.close();
  }

  @Test
  @Order(1)
  void killNineMidJob() throws Exception {
    assumeTrue(soak() == null, "soak run");
    record(scenarios.kill(pg("kill"), 3, 2));
  }

  @Test
  @Order(2)
  void sigstopPastFailureDetection() throws Exception {
    assumeTrue(soak() == null, "soak run");
    record(scenarios.pause(pg("sigstop"), Duration.ofSeconds(6)));
  }

  @Test
  @Order(3)
  void rollingUpgrade() throws Exception {
    assumeTrue(soak() == null, "soak run");
    record(scenarios.rollingUpgrade(pg("upgrade")));
  }

  @Test
  @Order(4)
  void databaseRestart() throws Exception {
    assumeTrue(soak() == null, "soak run");
    record(scenarios.databaseRestart(pg("restart"), Duration.ofSeconds(4)));
  }

  @Test
  @Order(5)
  void killNineOnMariaDb() throws Exception {
    assumeTrue(soak() == null, "soak run");
    record(onMariaDb(maria -> scenarios.kill(maria, 2, 1)));
  }

  @Test
  @Order(6)
  void clockSkewOnPostgres() throws Exception {
    assumeTrue(soak() == null, "soak run");
    Faketime.requireOrSkip();
    record(scenarios.clockSkew(pg("clock_skew")));
  }

  @Test
  @Order(7)
  void clockStepOnPostgres() throws Exception {
    assumeTrue(soak() == null, "soak run");
    Faketime.requireOrSkip();
    record(scenarios.clockStep(pg("clock_step")));
  }

  @Test
  @Order(8)
  void clockSkewOnMariaDb() throws Exception {
    assumeTrue(soak() == null, "soak run");
    Faketime.requireOrSkip();
    record(onMariaDb(scenarios::clockSkew));
  }

  @Test
  @Order(9)
  void clockStepOnMariaDb() throws Exception {
    assumeTrue(soak() == null, "soak run");
    Faketime.requireOrSkip();
    record(onMariaDb(scenarios::clockStep));
  }

  @Test
  @Order(10)
  void retryOutlivesKilledNode() throws Exception {
    assumeTrue(soak() == null, "soak run");
    record(scenarios.retryAfterKill(pg("retry")));
  }

  @Test
  @Order(11)
  void concurrencyLimitThroughAKill() throws Exception {
    assumeTrue(soak() == null, "soak run");
    record(scenarios.limitAfterKill(pg("limit")));
  }

  @Test
  @Order(12)
  void retryOutlivesKilledNodeOnMariaDb() throws Exception {
    assumeTrue(soak() == null, "soak run");
    record(onMariaDb(scenarios::retryAfterKill));
  }

  @Test
  @Order(13)
  void concurrencyLimitThroughAKillOnMariaDb() throws Exception {
    assumeTrue(soak() == null, "soak run");
    record(onMariaDb(scenarios::limitAfterKill));
  }

  /** Runs {@code scenario} on a fresh database of the MariaDB server (skipped with a notice when none is reachable). */
  private static ScenarioReport onMariaDb(MariaDbScenario scenario) throws Exception {
    try (MariaDbDatabase maria = new MariaDbDatabase()) {
      String[] args = maria.connectionArgs();
      return scenario.run(new FaultDatabase("mariadb", args[0], args[1], args[2], null));
    }
  }

  private interface MariaDbScenario {
    ScenarioReport run(FaultDatabase maria) throws Exception;
  }

  /** The soak: every scenario in turn, again and again, until the duration is spent. */
  @Test
  @Order(14)
  void soakRun() throws Exception {
    Duration soak = soak();
    assumeTrue(soak != null, "no soak requested (-Dbaton.soak=PT30M or BATON_SOAK=30m)");
    Instant deadline = Instant.now().plus(soak);
    List<String> violations = new ArrayList<>();
    for (int round = 1; Instant.now().isBefore(deadline); round++) {
      for (ScenarioReport r : List.of(
          scenarios.kill(pg("soak_kill_" + round), 3, 3),
          scenarios.pause(pg("soak_stop_" + round), Duration.ofSeconds(6 + round % 5)),
          scenarios.rollingUpgrade(pg("soak_upgrade_" + round)),
          scenarios.databaseRestart(pg("soak_restart_" + round), Duration.ofSeconds(3 + round % 3)))) {
        reports.add(r);
        String label = "round " + round;
        r.violations().forEach(v -> violations.add(label + " " + r.scenario() + ": " + v));
        System.out.println(Summary.table(List.of(r), "soak " + label));
      }
    }
    assertThat(violations).as("guarantee violations in the soak").isEmpty();
  }

  private void record(ScenarioReport report) {
    reports.add(report);
    System.out.println(Summary.table(List.of(report), "scenario " + report.scenario()));
    assertThat(report.violations()).as("guarantee violations in scenario " + report.scenario() + " on " + report.database()).isEmpty();
  }

  private FaultDatabase pg(String name) {
    return postgres.database("fault_" + name + "_" + (++databases));
  }

  /** The soak duration: system property {@code baton.soak} (ISO-8601, e.g. PT30M) or env BATON_SOAK (30m, 2h, 90s). */
  static Duration soak() {
    String v = System.getProperty("baton.soak");
    if (v == null || v.isBlank()) v = System.getenv("BATON_SOAK");
    if (v == null || v.isBlank()) return null;
    v = v.trim().toUpperCase(Locale.ROOT);
    if (v.startsWith("P")) return Duration.parse(v);
    if (v.endsWith("H")) return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
    if (v.endsWith("M")) return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
    if (v.endsWith("S")) return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
    throw new IllegalArgumentException("baton.soak/BATON_SOAK '" + v + "': give e.g. PT30M, 30m, 2h or 90s");
  }
}
