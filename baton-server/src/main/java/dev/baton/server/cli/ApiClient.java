package dev.baton.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.server.api.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small client of a node's admin API, for the CLI. Errors carry the API's own message. */
public final class ApiClient {
  /** The API refused the request or could not be reached; the message is the one to show. */
  public static final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;

    ApiError(String message) {
      super(message);
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  public ApiClient(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  /** GETs a path and returns its JSON. */
  public JsonNode get(String path) throws ApiError {
    return send(HttpRequest.newBuilder(uri(path)).GET(), path, false);
  }

  /**
   * GETs a path whose JSON answer counts whatever its status, such as {@code /api/health}, whose
   * 503 carries the reason; only a non-JSON answer or a 401 is an error.
   */
  public JsonNode getAnyStatus(String path) throws ApiError {
    return send(HttpRequest.newBuilder(uri(path)).GET(), path, true);
  }

  /** POSTs to a path with an empty body and returns its JSON. */
  public JsonNode post(String path) throws ApiError {
    return send(
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()), path, false);
  }

  /** A path segment, escaped. */
  public static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private URI uri(String path) throws ApiError {
    try {
      return URI.create(base + path);
    } catch (IllegalArgumentException e) {
      throw new ApiError("--url '" + base + "' is not a valid URL: " + e.getMessage());
    }
  }

  private JsonNode send(HttpRequest.Builder request, String path, boolean anyStatus)
      throws ApiError {
    if (token != null) request.header("Authorization", "Bearer " + token);
    request.timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ApiError(
          "cannot reach "
              + base
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError("interrupted");
    }
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new ApiError(
          "HTTP " + response.statusCode() + " from " + path + " with a body that is not JSON");
    }
    boolean answered =
        anyStatus
            && response.statusCode() != 401
            && body != null
            && body.isObject()
            && !body.has("error");
    if (response.statusCode() >= 400 && !answered) {
      String message =
          body != null && body.hasNonNull("error")
              ? body.get("error").asText()
              : "no error message";
      String hint = response.statusCode() == 401 ? " (set BATON_ADMIN_TOKEN or pass --token)" : "";
      throw new ApiError("HTTP " + response.statusCode() + ": " + message + hint);
    }
    return body;
  }
}
