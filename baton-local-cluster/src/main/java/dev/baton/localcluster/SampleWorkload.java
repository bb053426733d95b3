package dev.baton.localcluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The sample tasks, created through a node's admin API as a user would with curl. */
final class SampleWorkload {
  /**
   * Task name to definition ({@code PUT /api/tasks/{name}}). {@code batch} is non-concurrent and
   * recoverable, so killing its node mid-run shows a survivor re-running it; its runs (3 s) are
   * shorter than its interval (5 s), because a non-concurrent task whose runs outlast its interval
   * starts every firing only when the previous one ends and so falls further behind at each run.
   */
  static final Map<String, String> TASKS = tasks();

  private SampleWorkload() {}

  private static Map<String, String> tasks() {
    Map<String, String> tasks = new LinkedHashMap<>();
    tasks.put(
        "heartbeat", "{\"type\":\"sleep\",\"intervalMs\":1000,\"data\":{\"millis\":\"200\"}}");
    tasks.put(
        "report",
        "{\"type\":\"sleep\",\"cron\":\"0/5 * * * * ?\","
            + "\"data\":{\"millis\":\"1500\"},\"lock\":\"reports\"}");
    tasks.put(
        "batch",
        "{\"type\":\"sleep-exclusive\",\"intervalMs\":5000,"
            + "\"data\":{\"millis\":\"3000\"},\"recover\":true}");
    tasks.put("burst", "{\"type\":\"sleep\",\"intervalMs\":300,\"data\":{\"millis\":\"100\"}}");
    return Collections.unmodifiableMap(tasks);
  }

  /** Creates the tasks through the API at {@code baseUrl} (http://host:port). */
  static void create(String baseUrl, String token) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    for (Map.Entry<String, String> task : TASKS.entrySet()) {
      HttpRequest put =
          HttpRequest.newBuilder(URI.create(baseUrl + "/api/tasks/" + task.getKey()))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .PUT(HttpRequest.BodyPublishers.ofString(task.getValue()))
              .build();
      HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 300) {
        throw new IOException("creating sample task " + task.getKey() + " failed: " + r.body());
      }
    }
  }
}
