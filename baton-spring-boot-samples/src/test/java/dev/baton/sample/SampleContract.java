package dev.baton.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.quartz.Scheduler;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample application on one database, started the way Boot starts it. The same source runs in
 * the stock build (spring-boot-starter-quartz only) and the Baton build (a Baton starter added):
 * system property {@code sample.scheduler} says which, and {@link #runsOnTheSchedulerOfItsBuild}
 * checks that the build really runs on that scheduler, so the other assertions cover both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SampleContract {
  /** "stock" or "baton": set by the build that runs this test. */
  static final String BUILD = System.getProperty("sample.scheduler", "stock");

  private final HttpClient http = HttpClient.newHttpClient();
  private TestDatabase database;
  private ConfigurableApplicationContext app;
  private ActivityLog log;

  /** A fresh database of the kind under test. */
  protected abstract TestDatabase createDatabase();

  /** What an application on this kind of database sets besides the URL (same in both builds). */
  protected Map<String, Object> databaseProperties() {
    return Map.of();
  }

  @BeforeAll
  void startApplication() {
    database = createDatabase();
    String[] c = database.connectionArgs();
    Map<String, Object> props = new HashMap<>(databaseProperties());
    props.put("spring.datasource.url", c[0]);
    props.put("spring.datasource.username", c[1]);
    props.put("spring.datasource.password", c[2]);
    props.put("server.port", "0");
    app = new SpringApplicationBuilder(SampleApplication.class).properties(props).run();
    log = app.getBean(ActivityLog.class);
  }

  @AfterAll
  void stopApplication() {
    if (app != null) app.close();
    if (database != null) database.close();
  }

  @Test
  void runsOnTheSchedulerOfItsBuild() throws Exception {
    Scheduler scheduler = app.getBean(Scheduler.class);
    assertThat(scheduler.getSchedulerName()).isEqualTo("quartzScheduler");
    assertThat(scheduler.getMetaData().isJobStoreClustered()).isTrue();
    assertThat(scheduler.getMetaData().isJobStoreSupportsPersistence()).isTrue();
    assertThat(app.containsBean("baton")).isEqualTo(BUILD.equals("baton"));
    assertThat(scheduler.getMetaData().getJobStoreClass().getSimpleName())
        .isEqualTo(BUILD.equals("baton") ? "BatonJobStore" : "LocalDataSourceJobStore");
  }

  @Test
  void everyKindOfTriggerFires() {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(log.entries("trigger"))
                    .contains(
                        "reportEverySecond",
                        "reportCalendarInterval",
                        "cleanupCron",
                        "cleanupDailyInterval"));
  }

  @Test
  void jobDataAndServicesAreInjected() {
    // ReportJob: setter-injected job data, autowired service; CleanupJob: constructor injection.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(log.entries("report")).isNotEmpty().containsOnly("pdf");
              assertThat(log.entries("cleanup")).isNotEmpty().containsOnly("tmp");
            });
  }

  @Test
  void aPackagePrivateJobBeanWithConstructorInjectionFires() {
    // InventoryJob: package-private class and constructor, as Spring's createBean builds it.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(log.entries("inventory")).isNotEmpty();
              assertThat(log.entries("trigger")).contains("inventoryEverySecond");
            });
  }

  @Test
  void actuatorListsTheJobsAndTriggers() throws Exception {
    Map<String, Object> jobs = getJson("/actuator/quartz/jobs");
    // Baton adds its own job group (history clean-up); the application's groups are the same.
    if (BUILD.equals("baton")) {
      assertThat(jobNames(jobs, "baton"))
          .allSatisfy(j -> assertThat((String) j).startsWith("baton."));
      groups(jobs).remove("baton");
    }
    assertThat(groups(jobs)).containsOnlyKeys("reports", "maintenance", "inventory", "audit");
    assertThat(jobNames(jobs, "reports")).containsExactly("reportJob");
    assertThat(jobNames(jobs, "maintenance")).containsExactly("cleanupJob");
    assertThat(jobNames(jobs, "inventory")).containsExactly("inventoryJob");
    assertThat(jobNames(jobs, "audit")).containsExactly("auditJob");
    Map<String, Object> triggers = getJson("/actuator/quartz/triggers");
    if (BUILD.equals("baton")) groups(triggers).remove("baton");
    assertThat(groups(triggers)).containsOnlyKeys("reports", "maintenance", "inventory");
    Map<String, Object> cron = getJson("/actuator/quartz/triggers/maintenance/cleanupCron");
    assertThat(cron).containsEntry("type", "cron").containsEntry("state", "NORMAL");
  }

  @Test
  void postingRunningStateRunsTheJob() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(url("/actuator/quartz/jobs/audit/auditJob"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"state\":\"running\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> !log.entries("audit").isEmpty());
  }

  @Test
  @SuppressWarnings("unchecked")
  void batonHealthAndEndpointOnlyInTheBatonBuild() throws Exception {
    Map<String, Object> components =
        (Map<String, Object>) getJson("/actuator/health").get("components");
    HttpResponse<String> baton =
        http.send(
            HttpRequest.newBuilder(url("/actuator/baton")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (!BUILD.equals("baton")) {
      assertThat(components).doesNotContainKey("baton");
      assertThat(
              http.send(
                      HttpRequest.newBuilder(url("/actuator/metrics/baton.nodes.live"))
                          .GET()
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(404);
      assertThat(baton.statusCode()).isEqualTo(404);
      return;
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Map<String, Object> health =
                  (Map<String, Object>)
                      ((Map<String, Object>) getJson("/actuator/health").get("components"))
                          .get("baton");
              assertThat(health).containsEntry("status", "UP");
              assertThat((Map<String, Object>) health.get("details"))
                  .containsEntry("cluster", "quartzScheduler");
            });
    assertThat(baton.statusCode()).as(baton.body()).isEqualTo(200);
    Map<String, Object> summary = JsonParserFactory.getJsonParser().parseMap(baton.body());
    assertThat(summary).containsEntry("cluster", "quartzScheduler").containsEntry("firing", true);
    assertThat((List<Object>) summary.get("nodes")).hasSize(1);
    assertThat((List<Object>) summary.get("tasks"))
        .extracting(t -> ((Map<String, Object>) t).get("name"))
        .contains("reportJob", "cleanupJob", "inventoryJob", "auditJob");
    // Job data values are masked, as in Boot's quartz endpoint.
    assertThat((List<Object>) summary.get("tasks"))
        .filteredOn(t -> "reportJob".equals(((Map<String, Object>) t).get("name")))
        .extracting(t -> ((Map<String, Object>) t).get("data"))
        .containsExactly(Map.of("format", "******"));
    HttpResponse<String> reset =
        http.send(
            HttpRequest.newBuilder(url("/actuator/baton/reset-errored"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
    assertThat(reset.body()).contains("\"reset\"");
    // Baton's meters, bound to Boot's registry.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(getJson("/actuator/metrics/baton.nodes.live"))
                    .containsEntry("name", "baton.nodes.live"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> groups(Map<String, Object> answer) {
    return (Map<String, Object>) answer.get("groups");
  }

  @SuppressWarnings("unchecked")
  private static List<Object> jobNames(Map<String, Object> answer, String group) {
    return (List<Object>) ((Map<String, Object>) groups(answer).get(group)).get("jobs");
  }

  private Map<String, Object> getJson(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return JsonParserFactory.getJsonParser().parseMap(r.body());
  }

  private URI url(String path) {
    return URI.create(
        "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + path);
  }
}
