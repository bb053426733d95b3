package dev.baton.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.scheduling.InvalidRetryPolicyException;
import dev.baton.scheduling.RetryPolicy;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code "retry"} object of a task definition: {@code {"maxAttempts": 5, "initialDelayMs":
 * 1000, "maxDelayMs": 600000, "jitter": 0.2, "retryOn": ["java.io.IOException"]}}; only {@code
 * maxAttempts} is required. Errors name the field as {@code retry.<name>}.
 */
final class RetryRequest {
  private static final Set<String> FIELDS =
      Set.of("maxAttempts", "initialDelayMs", "maxDelayMs", "jitter", "retryOn");

  private RetryRequest() {}

  /** The policy in {@code body.retry}, or null when there is none. */
  static RetryPolicy parse(JsonNode body) {
    JsonNode r = body.get("retry");
    if (r == null || r.isNull()) return null;
    if (!r.isObject())
      throw ApiException.badRequest("retry", "must be an object such as {\"maxAttempts\": 3}");
    for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw ApiException.badRequest(
            "retry." + f,
            "unknown field; known fields: " + String.join(", ", FIELDS.stream().sorted().toList()));
      }
    }
    JsonNode attempts = r.get("maxAttempts");
    if (attempts == null || !attempts.canConvertToExactIntegral()) {
      throw ApiException.badRequest(
          "retry.maxAttempts",
          "must be a whole number (attempts in all, the first included); got " + attempts);
    }
    try {
      RetryPolicy.Builder b = RetryPolicy.attempts(attempts.asInt());
      if (r.has("initialDelayMs") || r.has("maxDelayMs")) {
        long initial = millis(r, "initialDelayMs", 10_000);
        b.backoff(
            Duration.ofMillis(initial),
            Duration.ofMillis(millis(r, "maxDelayMs", Math.max(initial, 600_000))));
      }
      JsonNode jitter = r.get("jitter");
      if (jitter != null) {
        if (!jitter.isNumber())
          throw ApiException.badRequest(
              "retry.jitter", "must be a number from 0 to 1; got " + jitter);
        b.jitter(jitter.asDouble());
      }
      JsonNode on = r.get("retryOn");
      if (on != null) {
        if (!on.isArray())
          throw ApiException.badRequest(
              "retry.retryOn", "must be an array of exception class names");
        for (JsonNode n : on) {
          if (!n.isTextual())
            throw ApiException.badRequest(
                "retry.retryOn", "must hold class names as strings; got " + n);
          b.retryOn(n.asText());
        }
      }
      return b.build();
    } catch (InvalidRetryPolicyException e) {
      String field =
          switch (e.field()) {
            case "initialDelay" -> "initialDelayMs";
            case "maxDelay" -> "maxDelayMs";
            default -> e.field();
          };
      throw ApiException.badRequest("retry." + field, e.getMessage());
    }
  }

  /** The policy as the API shows it, in the request's own shape; null for none. */
  static Map<String, Object> view(RetryPolicy p) {
    if (p == null) return null;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("maxAttempts", p.maxAttempts());
    out.put("initialDelayMs", p.initialDelay().toMillis());
    out.put("maxDelayMs", p.maxDelay().toMillis());
    out.put("jitter", p.jitter());
    out.put("retryOn", p.retryOn());
    return out;
  }

  private static long millis(JsonNode r, String field, long absent) {
    JsonNode n = r.get(field);
    if (n == null) return absent;
    if (!n.canConvertToExactIntegral() || n.asLong() < 1) {
      throw ApiException.badRequest(
          "retry." + field, "must be a whole number of milliseconds, at least 1; got " + n);
    }
    return n.asLong();
  }
}
