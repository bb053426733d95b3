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
import org.openqa.selenium.support.ui.Select;

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
      // A second node that joins and leaves cleanly: listed as departed, with its time.
      TestNode.start(db, "dash-leaver", 1).close();

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
        await("departed node shown")
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
            .untilAsserted(
                () ->
                    assertThat(
                            browser
                                .findElement(By.cssSelector("#departed [data-node='dash-leaver']"))
                                .getText())
                        .contains("left")
                        .contains("left cleanly"));
        searchesTheHistory(browser);
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
        showsTheTaskPage(browser, api, TestNode.base(node));
      } finally {
        browser.quit();
        service.stop();
      }
    }
  }

  /** Search by task and outcome, page back and forth, then a time range and a bad range. */
  private static void searchesTheHistory(ChromeDriver browser) {
    WebElement form = browser.findElement(By.id("search"));
    form.findElement(By.name("task")).sendKeys("heartbeat");
    new Select(form.findElement(By.name("outcome"))).selectByVisibleText("SUCCEEDED");
    new Select(form.findElement(By.name("limit"))).selectByVisibleText("20");
    // Enough executions for two pages (one every 400 ms).
    // Each click re-renders the results: an element read from the previous render goes stale.
    await("two pages of heartbeat")
        .atMost(Duration.ofSeconds(40))
        .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
        .until(
            () -> {
              form.findElement(By.cssSelector("button[type=submit]")).click();
              return results(browser).size() == 20
                  && browser
                      .findElement(By.cssSelector("#search-results button[data-page=older]"))
                      .isEnabled();
            });
    for (WebElement row : results(browser)) {
      assertThat(row.getText()).contains("heartbeat").contains("dash-node").contains("SUCCEEDED");
    }
    java.util.List<String> pageOne = ids(browser);
    browser.findElement(By.cssSelector("#search-results button[data-page=older]")).click();
    await("page 2")
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
        .until(() -> browser.findElement(By.id("search-results")).getText().contains("page 2"));
    // Older entries only: nothing of page one again.
    assertThat(ids(browser)).isNotEmpty().doesNotContainAnyElementsOf(pageOne);
    browser.findElement(By.cssSelector("#search-results button[data-page=newer]")).click();
    await("back to page 1")
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
        .until(() -> browser.findElement(By.id("search-results")).getText().contains("page 1"));
    // Newest first again: a few heartbeats may have run since, so page one's newest is still there.
    assertThat(ids(browser)).contains(pageOne.get(0));

    // A range in the future matches nothing; a range that ends before it starts is refused.
    browser.executeScript(
        "var f = document.getElementById('search');"
            + " f.since.value = '2098-01-01T00:00:00'; f.until.value = '2099-01-01T00:00:00';");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    await("empty range")
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
        .until(
            () ->
                browser
                    .findElement(By.id("search-results"))
                    .getText()
                    .contains("no matching executions"));
    browser.executeScript(
        "var f = document.getElementById('search');"
            + " f.since.value = '2099-01-01T00:00:00'; f.until.value = '2098-01-01T00:00:00';");
    form.findElement(By.cssSelector("button[type=submit]")).click();
    await("bad range named")
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
        .untilAsserted(
            () ->
                assertThat(browser.findElement(By.cssSelector("#search-results .error")).getText())
                    .startsWith("until:"));
  }

  private static java.util.List<String> ids(ChromeDriver browser) {
    return results(browser).stream().map(r -> r.getAttribute("data-id")).toList();
  }

  private static java.util.List<WebElement> results(ChromeDriver browser) {
    return browser.findElements(By.cssSelector("#search-results tbody tr"));
  }

  /** From the tasks table to a task's page: facts, next fire times, history, pause and resume. */
  private static void showsTheTaskPage(ChromeDriver browser, Http api, String base)
      throws Exception {
    await("task link clicked")
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
        .until(
            () -> {
              browser.findElement(By.cssSelector("#tasks tr[data-task='limited'] a")).click();
              return true;
            });
    assertThat(browser.getCurrentUrl()).endsWith("#/tasks/limited");
    await("task page")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
        .untilAsserted(
            () -> {
              assertThat(browser.findElement(By.tagName("body")).getAttribute("data-task-loaded"))
                  .isEqualTo("limited");
              String facts = browser.findElement(By.id("task-facts")).getText();
              assertThat(facts)
                  .contains("every:200ms")
                  .contains("running 2/2")
                  .contains("limit reached")
                  .contains("on dash-node since");
              assertThat(browser.findElement(By.id("task-history")).getText())
                  .contains("limited")
                  .contains("RUNNING");
            });
    assertThat(browser.findElement(By.id("main")).isDisplayed()).isFalse();
    Path page = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(page, Path.of("target", "dashboard-task.png"), StandardCopyOption.REPLACE_EXISTING);
    browser.get(base + "/#/tasks/nightly-report");
    await("nightly page")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
        .untilAsserted(
            () -> {
              String facts = browser.findElement(By.id("task-facts")).getText();
              assertThat(facts).contains("cron:0 0 2 * * ? @Europe/Paris").contains("paused");
              // Five next fire times, each a day apart at 02:00 in Paris.
              assertThat(
                      browser.findElements(
                          By.xpath("//table[@id='task-facts']//tr[th='Next fire times']//td/span")))
                  .hasSize(5);
              assertThat(browser.findElement(By.id("task-history")).getText())
                  .contains("no matching executions");
            });
    browser.findElement(By.cssSelector("#task-actions button[data-act=resume]")).click();
    await("resumed")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                api.get("/api/tasks/nightly-report")
                    .json()
                    .get("state")
                    .asText()
                    .equals("WAITING"));
    await("page shows it resumed")
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
        .untilAsserted(
            () ->
                assertThat(browser.findElement(By.id("task-facts")).getText())
                    .doesNotContain("paused"));
    browser.get(base + "/#/tasks/no-such-task");
    await("unknown task named")
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
        .untilAsserted(
            () ->
                assertThat(browser.findElement(By.id("task-facts")).getText())
                    .contains("No task named 'no-such-task'"));
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(
        shot, Path.of("target", "dashboard-unknown-task.png"), StandardCopyOption.REPLACE_EXISTING);
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
