package dev.baton.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.scheduling.InvalidTaskException;
import dev.baton.scheduling.Run;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Turns the body of {@code POST /api/tasks/{name}/runs} into validated {@link Run runs}, or refuses
 * it with an {@link ApiException} naming the field; nothing is submitted until all are valid.
 *
 * <p>Body: one run, {@code {"id": "order-4711", "at": "2030-01-31T02:00:00Z", "data": {"to":
 * "ada@example.com"}}}, every field optional (a random id; now; no data of its own), or {@code
 * {"runs": [run, …]}} with 1 to {@value #MAX_RUNS} of them. Errors in a list name the run, as in
 * {@code runs[3].at}.
 */
final class RunRequest {
  /** Runs per request: one transaction's worth (the body is at most 64 KB anyway). */
  static final int MAX_RUNS = 1_000;

  private static final Set<String> FIELDS = Set.of("id", "at", "data");

  private RunRequest() {}

  static List<Run> parse(String task, JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest(
          "body", "the body must be a JSON object: one run, or {\"runs\": [...]}");
    }
    if (!body.has("runs")) return List.of(run(task, body, ""));
    if (body.size() != 1) {
      throw ApiException.badRequest("runs", "give either one run or {\"runs\": [...]}, not both");
    }
    JsonNode runs = body.get("runs");
    if (!runs.isArray() || runs.isEmpty() || runs.size() > MAX_RUNS) {
      throw ApiException.badRequest(
          "runs", "must be an array of 1 to " + MAX_RUNS + " run objects; got " + describe(runs));
    }
    List<Run> out = new ArrayList<>(runs.size());
    for (int i = 0; i < runs.size(); i++) {
      String where = "runs[" + i + "].";
      JsonNode r = runs.get(i);
      if (!r.isObject()) throw ApiException.badRequest("runs[" + i + "]", "must be an object");
      out.add(run(task, r, where));
    }
    return out;
  }

  private static Run run(String task, JsonNode r, String where) {
    for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw ApiException.badRequest(
            where + f, "unknown field '" + f + "'; known fields: at, data, id");
      }
    }
    Run.Builder b = Run.of(task);
    try {
      String id = TaskRequest.text(r, "id");
      if (id != null) b.id(id);
      String at = TaskRequest.text(r, "at");
      if (at != null) b.at(Instant.parse(at));
      b.data(TaskRequest.data(r));
      return b.build();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          where + "at",
          "'"
              + r.get("at").textValue()
              + "' is not an ISO-8601 instant such as 2030-01-31T02:00:00Z");
    } catch (ApiException e) {
      throw ApiException.badRequest(where + e.field(), e.getMessage());
    } catch (InvalidTaskException e) {
      String field = e.field().startsWith("run.") ? e.field().substring(4) : e.field();
      throw ApiException.badRequest(where + field, e.getMessage());
    }
  }

  private static String describe(JsonNode n) {
    return n.isArray() ? n.size() + " elements" : n.getNodeType().toString().toLowerCase();
  }
}
