package dev.baton.spring.starter.shedlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.Baton;
import dev.baton.shedlock.BatonLockProvider;
import dev.baton.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.javacrumbs.shedlock.core.LockProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two instances of {@link ReportApplication} (a ShedLock application with no {@code LockProvider}
 * of its own) on one database: the starter gives them a {@link BatonLockProvider}, their locked
 * task never runs in both at once, and each run holds a Baton lock with a fencing token.
 */
abstract class ShedLockApplicationContract {
  static {
    // The build pins an older logback (parent pom) than Boot's logging system calls;
    // logback-test.xml
    // configures logging for the test JVM anyway.
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
  }

  private static final String QUARTZ_AUTO_CONFIGURATIONS =
      "org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration,"
          + "org.springframework.boot.quartz.autoconfigure.QuartzAutoConfiguration";

  private TestDatabase database;
  private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

  /** A fresh database of the kind under test. */
  protected abstract TestDatabase createDatabase();

  /** One row of {@code report_runs}. */
  record Run(
      String instance, String nodeId, long started, long ended, long token, long heldToken) {}

  @BeforeEach
  void createDatabaseAndTable() {
    database = createDatabase();
    database.execute(
        "CREATE TABLE report_runs (instance VARCHAR(10), node_id VARCHAR(200), started_nanos"
            + " BIGINT, ended_nanos BIGINT, token BIGINT, held_token BIGINT)");
  }

  @AfterEach
  void stop() {
    apps.forEach(ConfigurableApplicationContext::close);
    if (database != null) database.close();
  }

  private ConfigurableApplicationContext start(String instance) {
    String[] c = database.connectionArgs();
    Map<String, Object> props = new HashMap<>();
    props.put("spring.datasource.url", c[0]);
    if (!c[1].equals("null")) props.put("spring.datasource.username", c[1]);
    props.put("spring.datasource.password", c[2]);
    props.put("report.instance", instance);
    props.put("spring.main.web-application-type", "none");
    props.put("spring.main.banner-mode", "off");
    // The test class path has Quartz for the starter's other tests; a ShedLock application has
    // none.
    // Its auto-configuration under Boot 3's name and Boot 4's: Boot skips an exclusion it cannot
    // load.
    props.put("spring.autoconfigure.exclude", QUARTZ_AUTO_CONFIGURATIONS);
    // Boot 3: Baton brings Flyway, which switches on Boot's Flyway for the application's
    // DataSource,
    // and that refuses a database with tables but no Flyway history (see README). Boot 4 keeps its
    // Flyway support in a module these tests do not have, so there the setting changes nothing.
    props.put("spring.flyway.enabled", "false");
    props.put("baton.drain-timeout", "1s");
    ConfigurableApplicationContext app =
        new SpringApplicationBuilder(ReportApplication.class).properties(props).run();
    apps.add(app);
    return app;
  }

  private List<Run> runs(ConfigurableApplicationContext app) {
    return app.getBean(JdbcTemplate.class)
        .query(
            "SELECT instance, node_id, started_nanos, ended_nanos, token, held_token FROM"
                + " report_runs ORDER BY started_nanos",
            (rs, i) ->
                new Run(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getLong(3),
                    rs.getLong(4),
                    rs.getLong(5),
                    rs.getLong(6)));
  }

  @Test
  void theStarterProvidesABatonLockProvider() {
    ConfigurableApplicationContext app = start("a");
    assertThat(app.getBeansOfType(LockProvider.class)).hasSize(1);
    assertThat(app.getBean(LockProvider.class))
        .isInstanceOfSatisfying(
            BatonLockProvider.class,
            p -> assertThat(p.clusterLocks()).isSameAs(app.getBean(Baton.class).locks()));
  }

  @Test
  void twoInstancesNeverRunTheLockedTaskAtOnce() {
    ConfigurableApplicationContext a = start("a");
    ConfigurableApplicationContext b = start("b");

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              List<Run> runs = runs(a);
              return runs.size() >= 10
                  && runs.stream().filter(r -> r.instance().equals("a")).count() >= 2
                  && runs.stream().filter(r -> r.instance().equals("b")).count() >= 2;
            });
    String nodeA = a.getBean(Baton.class).nodeId();
    String nodeB = b.getBean(Baton.class).nodeId();
    // Only finished runs are in the table; one still running holds the lock, so cannot overlap
    // them.
    List<Run> runs = runs(a);

    assertThat(nodeA).isNotEqualTo(nodeB);
    assertThat(runs)
        .allSatisfy(
            r -> {
              // A Baton lock: the node's lock table lists it, owned by this node, with this run's
              // token.
              assertThat(r.token()).as("token of %s", r).isPositive();
              assertThat(r.heldToken())
                  .as("token in the lock table for %s", r)
                  .isEqualTo(r.token());
              assertThat(r.nodeId()).isEqualTo(r.instance().equals("a") ? nodeA : nodeB);
            });
    for (int i = 1; i < runs.size(); i++) {
      Run before = runs.get(i - 1);
      Run after = runs.get(i);
      assertThat(after.started())
          .as("%s started before %s ended", after, before)
          .isGreaterThan(before.ended());
      assertThat(after.token())
          .as("tokens increase: %s after %s", after, before)
          .isGreaterThan(before.token());
    }
  }
}
