package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baton.locks.ClusterLock;
import dev.baton.testing.H2Database;
import dev.baton.testing.SkipNotice;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real headless Chromium against a live node: the node id, tasks with their
 * states, a failure, the executions chart, the history and a held lock show the node's data. Saves
 * a screenshot to {@code target/dashboard.png}. Skips with a notice when Chromium is not installed,
 * unless {@code BATON_REQUIRE_BROWSER=true}.
 */
class DashboardBrowserTest {
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

  @Test
  void dashboardShowsTheLiveNodesData() throws Exception {
    boolean installed = CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
    if (!installed) {
      String notice =
          "DashboardBrowserTest SKIPPED: /usr/bin/chromium or /usr/bin/chromedriver missing"
              + " (apt-get install chromium chromium-driver)";
      if ("true".equals(System.getenv("BATON_REQUIRE_BROWSER"))) {
        throw new AssertionError(
            notice + "; BATON_REQUIRE_BROWSER=true requires the browser test to run");
      }
      SkipNotice.print(notice);
      assumeTrue(false, notice);
    }
    Path profile = Files.createTempDirectory("chromium-profile");
    try (H2Database db = new H2Database();
        BatonNode node = TestNode.start(db, "dash-node", 4)) {
      Http api = new Http(TestNode.base(node), TestNode.TOKEN);
      api.put(
          "/api/tasks/heartbeat",
          "{\"type\":\"sleep\",\"intervalMs\":400,\"data\":{\"millis\":\"30\"}}");
      api.put(
          "/api/tasks/nightly-report",
          "{\"type\":\"sleep-exclusive\",\"cron\":\"0 0 2 * * ?\",\"timeZone\":\"Europe/Paris\"}");
      // One attempt in all: its failure is terminal, and the dashboard offers to run it again by
      // hand.
      api.put(
          "/api/tasks/export",
          "{\"jobClass\":\"dev.baton.server.FailingJob\",\"at\":\"2099-01-01T00:00:00Z\","
              + "\"retry\":{\"maxAttempts\":1}}");
      // Two long executions at a time at most: the dashboard shows the limit reached.
      api.put(
          "/api/tasks/limited",
          "{\"type\":\"sleep\",\"intervalMs\":200,\"maxConcurrent\":2,\"data\":{\"millis\":\"60000\"}}");
      api.post("/api/tasks/export/run");
      api.post("/api/tasks/nightly-report/pause");
      ClusterLock lock =
          node.baton().locks().tryAcquire("billing", Duration.ofMinutes(5)).orElseThrow();

      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM);
      options.addArguments(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--user-data-dir=" + profile,
          "--window-size=1400,1100");
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(CHROMEDRIVER)
              .usingAnyFreePort()
              .build();
      ChromeDriver browser = new ChromeDriver(service, options);
      try {
        browser.get(TestNode.base(node) + "/?token=" + TestNode.TOKEN);
        await("dashboard loaded")
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
            .until(
                () ->
                    "true"
                        .equals(
                            browser.findElement(By.tagName("body")).getAttribute("data-loaded")));
        assertThat(browser.getCurrentUrl())
            .as("token dropped from the address bar")
            .doesNotContain("token");
        assertThat(browser.findElement(By.id("node")).getText()).contains("dash-node");
        assertThat(browser.findElement(By.id("nodes")).getText())
            .contains("dash-node")
            .contains("live");
        await("states shown")
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
            .untilAsserted(
                () -> {
                  assertThat(row(browser, "nightly-report").getText())
                      .contains("PAUSED")
                      .contains("cron:0 0 2 * * ? @Europe/Paris");
                  assertThat(row(browser, "heartbeat").getText())
                      .containsAnyOf("WAITING", "ACQUIRED", "EXECUTING");
                });
        await("failure shown")
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
            .untilAsserted(
                () ->
                    assertThat(browser.findElement(By.id("failures")).getText())
                        .contains("export")
                        .contains("disk full on /reports"));
        await("limit reached shown")
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
            .untilAsserted(
                () -> {
                  assertThat(row(browser, "limited").getText()).contains("running 2/2");
                  assertThat(browser.findElement(By.id("alerts")).getText())
                      .contains("limited is BLOCKED: its limit of 2 runs at once is reached");
                });
        await("terminal failure shown")
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
            .untilAsserted(
                () ->
                    assertThat(browser.findElement(By.id("failures")).getText())
                        .contains("terminal failure")
                        .contains("exhausted"));
        await("retry clicked")
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
            .until(
                () -> {
                  browser
                      .findElement(By.cssSelector("#failures button[data-retry='export']"))
                      .click();
                  return true;
                });
        await("the manual retry ran")
            .atMost(Duration.ofSeconds(30))
            .until(() -> finishedRuns(api, "export") == 2);
        // Once: the manual run is not retried, and the button's one click ran it once.
        await()
            .during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(5))
            .until(() -> api.get("/api/history?task=export").json().get("executions").size() == 2);
        assertThat(
                api.get("/api/history?task=export")
                    .json()
                    .get("executions")
                    .get(0)
                    .get("details")
                    .get("baton.attempt")
                    .asText())
            .isEqualTo("manual");
        await("chart has executions")
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
            .until(
                () ->
                    browser.findElements(By.cssSelector("#chart g.bar")).stream()
                        .anyMatch(g -> Integer.parseInt(g.getAttribute("data-count")) > 0));
        await("history shown")
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
            .untilAsserted(
                () ->
                    assertThat(browser.findElement(By.id("history")).getText())
                        .contains("heartbeat")
                        .contains("SUCCEEDED"));
        await("lock shown")
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
            .untilAsserted(
                () ->
                    assertThat(browser.findElement(By.id("locks")).getText())
                        .contains("billing")
                        .contains("dash-node")
                        .contains("token " + lock.fencingToken()));
        assertThat(browser.findElement(By.id("legend")).getText()).contains("dash-node");
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
      } finally {
        browser.quit();
        service.stop();
      }
    }
  }

  // The dashboard re-renders its sections every 2 s: an element read while it is replaced is stale,
  // and the waits above then simply read again.

  private static int finishedRuns(Http api, String task) {
    int n = 0;
    for (var e : api.get("/api/history?task=" + task).json().get("executions")) {
      if (!"RUNNING".equals(e.get("outcome").asText())) n++;
    }
    return n;
  }

  private static WebElement row(ChromeDriver browser, String task) {
    return browser.findElement(By.cssSelector("#tasks tr[data-task='" + task + "']"));
  }
}
