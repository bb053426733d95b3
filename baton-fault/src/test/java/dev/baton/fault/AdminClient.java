package dev.baton.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A minimal client of one node's admin API (JSON over HTTP, bearer token). */
final class AdminClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String base;
  private final String token;

  AdminClient(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  /**
   * An answer.
   *
   * @param status the HTTP status
   * @param body the body as text
   */
  record Answer(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + body, e);
      }
    }
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  Answer put(String path, Object body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(write(body))));
  }

  Answer post(String path) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** PUTs a task definition; fails unless it was created or replaced. */
  void putTask(String name, Object definition) {
    Answer a = put("/api/tasks/" + name, definition);
    if (a.status() != 200 && a.status() != 201) {
      throw new IllegalStateException(
          "PUT /api/tasks/" + name + " answered " + a.status() + ": " + a.body());
    }
  }

  /** POSTs runs of {@code task} ({@code {"runs": [...]}}); fails unless every one was created. */
  void submitRuns(String task, Object body, int count) {
    Answer a =
        send(
            HttpRequest.newBuilder(uri("/api/tasks/" + task + "/runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body))));
    if (a.status() != 201 || a.json().path("created").asInt() != count) {
      throw new IllegalStateException(
          "POST /api/tasks/" + task + "/runs answered " + a.status() + ": " + a.body());
    }
  }

  /** Whether {@code /api/health} answers UP within a short timeout. */
  boolean healthy() {
    try {
      Answer a = get("/api/health");
      return a.status() == 200 && "UP".equals(a.json().path("status").asText());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              request
                  .header("Authorization", "Bearer " + token)
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException("admin API " + base + " unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String write(Object body) {
    try {
      return body instanceof String s ? s : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
