package dev.baton.server.api;

import dev.baton.Baton;
import dev.baton.scheduling.DepartedNode;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/nodes?departed=true|false}: the live and checked-in members, and (unless {@code
 * departed=false}) the nodes that departed within the retention, with their time of departure, how
 * they left and what was recovered from them where.
 */
final class NodeRoutes {
  private final Baton baton;
  private final Duration departedRetention;

  NodeRoutes(Baton baton, Duration departedRetention) {
    if (departedRetention == null
        || departedRetention.isNegative()
        || departedRetention.isZero()
        || departedRetention.compareTo(Baton.MAX_DEPARTED) > 0) {
      throw new IllegalArgumentException(
          "departedRetention must be more than zero and at most "
              + Baton.MAX_DEPARTED
              + "; got "
              + departedRetention);
    }
    this.baton = baton;
    this.departedRetention = departedRetention;
  }

  void list(Context ctx) {
    boolean departed = departedParam(ctx.queryParam("departed"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("nodes", baton.nodes());
    if (departed) {
      body.put("departedRetentionSeconds", departedRetention.toSeconds());
      body.put(
          "departed",
          baton.departedNodes(departedRetention).stream().map(NodeRoutes::view).toList());
    }
    AdminServer.json(ctx, 200, body);
  }

  private static boolean departedParam(String v) {
    if (v == null) return true;
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw ApiException.badRequest(
              "departed", "departed must be true or false; got '" + v + "'");
    };
  }

  private static Map<String, Object> view(DepartedNode d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("nodeId", d.nodeId());
    m.put("departedAt", d.departedAt());
    m.put("departure", d.departure().name());
    m.put("declaredBy", d.declaredBy());
    m.put("host", d.host());
    m.put("pid", d.pid());
    m.put("version", d.version());
    m.put("startedAt", d.startedAt());
    m.put(
        "recovered",
        d.recovered().stream()
            .map(
                r -> {
                  Map<String, Object> e = new LinkedHashMap<>();
                  e.put("executionId", r.executionId());
                  e.put("task", r.task());
                  e.put("scheduledFireTime", r.scheduledFireTime());
                  e.put("startedAt", r.startedAt());
                  e.put("outcome", r.outcome().name());
                  e.put("fate", r.fate().name());
                  e.put("rerunId", r.rerunId());
                  e.put("rerunNode", r.rerunNode());
                  e.put("rerunOutcome", r.rerunOutcome() == null ? null : r.rerunOutcome().name());
                  return e;
                })
            .toList());
    return m;
  }
}
