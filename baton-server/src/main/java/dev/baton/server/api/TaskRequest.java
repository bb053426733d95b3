package dev.baton.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.baton.scheduling.DstPolicy;
import dev.baton.scheduling.InvalidTaskException;
import dev.baton.scheduling.MisfirePolicy;
import dev.baton.scheduling.Task;
import dev.baton.server.tasks.BuiltInTypes;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the body of {@code PUT /api/tasks/{name}} into a validated {@link Task}, or refuses it with
 * an {@link ApiException} naming the field. Nothing is registered until all of it is valid.
 *
 * <p>Body: {@code {"type": "sleep" | "sleep-exclusive"} or {"jobClass": "..."}}, exactly one of
 * {@code "cron"}, {@code "intervalMs"}, {@code "at"} (ISO-8601 instant) and {@code "onDemand":
 * true} (fires only for the runs posted to {@code /api/tasks/{name}/runs}), and optionally {@code
 * "timeZone"}, {@code "dstPolicy"} (cron only: {@code ISC_CRON}, the default, or {@code QUARTZ}),
 * {@code "misfire"}, {@code "data"} (string values), {@code "recover"}, {@code "description"},
 * {@code "lock"} (a cluster lock every firing takes first; a busy lock skips the firing), {@code
 * "lockLeaseMs"} (its lease, only with {@code "lock"}) and {@code "retry"} (see {@link
 * RetryRequest}) and {@code "maxConcurrent"} (executions at once, cluster-wide).
 */
public final class TaskRequest {
  private static final Set<String> FIELDS =
      Set.of(
          "type",
          "jobClass",
          "cron",
          "intervalMs",
          "at",
          "onDemand",
          "timeZone",
          "dstPolicy",
          "misfire",
          "data",
          "recover",
          "description",
          "lock",
          "lockLeaseMs",
          "retry",
          "maxConcurrent");
  private static final List<String> SCHEDULES = List.of("cron", "intervalMs", "at", "onDemand");

  private TaskRequest() {}

  /** Validates {@code body} as the definition of task {@code name}. */
  public static Task parse(String name, JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("body", "the body must be a JSON object describing the task");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw ApiException.badRequest(
            f,
            "unknown field '"
                + f
                + "'; known fields: "
                + FIELDS.stream().sorted().collect(Collectors.joining(", ")));
      }
    }
    Task.Builder b = Task.named(name);
    String type = text(body, "type");
    String jobClass = text(body, "jobClass");
    if (type != null && jobClass != null) {
      throw ApiException.badRequest("jobClass", "give either type or jobClass, not both");
    }
    if (type == null && jobClass == null) {
      throw ApiException.badRequest(
          "type", "missing: give type (" + BuiltInTypes.names() + ") or jobClass");
    }
    if (type != null) {
      b.runs(
          BuiltInTypes.jobClass(type)
              .orElseThrow(
                  () ->
                      ApiException.badRequest(
                          "type",
                          "unknown type '" + type + "'; known types: " + BuiltInTypes.names())));
    } else {
      b.runs(jobClass);
    }
    schedule(body, b);
    String zone = text(body, "timeZone");
    if (zone != null) b.timeZone(zone);
    String dst = text(body, "dstPolicy");
    if (dst != null) b.dstPolicy(dstPolicy(dst));
    String misfire = text(body, "misfire");
    if (misfire != null) b.misfire(misfire(misfire));
    Map<String, String> data = data(body);
    b.data(data);
    if (type != null) {
      BuiltInTypes.checkData(data)
          .ifPresent(
              p -> {
                throw ApiException.badRequest("data", p);
              });
    }
    JsonNode recover = body.get("recover");
    if (recover != null && !recover.isNull()) {
      if (!recover.isBoolean()) throw ApiException.badRequest("recover", "must be true or false");
      b.recoverable(recover.booleanValue());
    }
    String description = text(body, "description");
    if (description != null) b.description(description);
    lock(body, b);
    b.retry(RetryRequest.parse(body));
    JsonNode limit = body.get("maxConcurrent");
    if (limit != null && !limit.isNull()) {
      if (!limit.canConvertToExactIntegral()
          || limit.asLong() < 1
          || limit.asLong() > Integer.MAX_VALUE) {
        throw ApiException.badRequest(
            "maxConcurrent", "must be a whole number of at least 1; got " + limit);
      }
      b.maxConcurrent(limit.asInt());
    }
    try {
      return b.build();
    } catch (InvalidTaskException e) {
      throw invalid(e);
    }
  }

  /** The API's answer to a definition the core refused; core field names mapped to the API's. */
  public static ApiException invalid(InvalidTaskException e) {
    String field =
        switch (e.field()) {
          case "interval" -> "intervalMs";
          case "underLock" -> "lock";
          default -> e.field();
        };
    return ApiException.badRequest(field, e.getMessage());
  }

  private static void schedule(JsonNode body, Task.Builder b) {
    List<String> given = SCHEDULES.stream().filter(s -> body.hasNonNull(s)).toList();
    if (given.size() != 1) {
      throw ApiException.badRequest(
          given.isEmpty() ? "schedule" : given.get(1),
          given.isEmpty()
              ? "missing: give one of cron, intervalMs, at or onDemand"
              : "several schedules given (" + String.join(", ", given) + "); give exactly one");
    }
    switch (given.get(0)) {
      case "cron" -> b.cron(text(body, "cron"));
      case "onDemand" -> {
        if (!body.get("onDemand").equals(BooleanNode.TRUE)) {
          throw ApiException.badRequest(
              "onDemand", "must be true; leave it out for a task with a schedule of its own");
        }
        b.onDemand();
      }
      case "intervalMs" -> {
        JsonNode n = body.get("intervalMs");
        if (!n.canConvertToExactIntegral() || n.asLong() < 1) {
          throw ApiException.badRequest(
              "intervalMs", "must be a whole number of milliseconds, at least 1; got " + n);
        }
        b.every(Duration.ofMillis(n.asLong()));
      }
      default -> {
        String at = text(body, "at");
        try {
          b.once(Instant.parse(at));
        } catch (DateTimeParseException e) {
          throw ApiException.badRequest(
              "at", "'" + at + "' is not an ISO-8601 instant such as 2030-01-31T02:00:00Z");
        }
      }
    }
  }

  private static void lock(JsonNode body, Task.Builder b) {
    String lock = text(body, "lock");
    JsonNode lease = body.get("lockLeaseMs");
    boolean leaseGiven = lease != null && !lease.isNull();
    if (lock == null) {
      if (leaseGiven)
        throw ApiException.badRequest(
            "lockLeaseMs", "only meaningful with \"lock\"; give a lock name too");
      return;
    }
    if (!leaseGiven) {
      b.underLock(lock);
      return;
    }
    if (!lease.canConvertToExactIntegral() || lease.asLong() < 1) {
      throw ApiException.badRequest(
          "lockLeaseMs", "must be a whole number of milliseconds, at least 1; got " + lease);
    }
    b.underLock(lock, Duration.ofMillis(lease.asLong()));
  }

  private static DstPolicy dstPolicy(String value) {
    try {
      return DstPolicy.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "dstPolicy",
          "unknown policy '" + value + "'; use one of " + Arrays.toString(DstPolicy.values()));
    }
  }

  private static MisfirePolicy misfire(String value) {
    try {
      return MisfirePolicy.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "misfire",
          "unknown policy '" + value + "'; use one of " + Arrays.toString(MisfirePolicy.values()));
    }
  }

  static Map<String, String> data(JsonNode body) {
    JsonNode data = body.get("data");
    Map<String, String> out = new LinkedHashMap<>();
    if (data == null || data.isNull()) return out;
    if (!data.isObject())
      throw ApiException.badRequest("data", "must be an object of string values");
    for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw ApiException.badRequest(
            "data",
            "value for key '"
                + e.getKey()
                + "' is "
                + e.getValue().getNodeType().toString().toLowerCase()
                + "; job data values must be strings");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  /** A string field, null when absent or JSON null; refused when present with another type. */
  static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) return null;
    if (!n.isTextual())
      throw ApiException.badRequest(
          field, "must be a string; got " + n.getNodeType().toString().toLowerCase());
    return n.textValue();
  }

  /** Used by tests and the CLI: whether a definition names a built-in type. */
  static Optional<String> typeName(JsonNode body) {
    return Optional.ofNullable(text(body, "type"));
  }
}
