package dev.baton.server.api;

import dev.baton.Baton;
import dev.baton.history.ActivityCount;
import dev.baton.history.Execution;
import dev.baton.history.HistoryPage;
import dev.baton.history.HistoryQuery;
import dev.baton.history.InvalidHistoryQueryException;
import dev.baton.history.Outcome;
import dev.baton.locks.ClusterLocks;
import dev.baton.locks.InvalidLockArgumentException;
import dev.baton.locks.LockInfo;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /api/history} and {@code /api/locks} routes: the cluster's execution history (newest
 * first, filtered, paginated by cursor), executions per node over time for the dashboard's chart,
 * held locks, and the administrative force-release of a lock.
 */
final class HistoryAndLockRoutes {
  private static final Logger log = LoggerFactory.getLogger(HistoryAndLockRoutes.class);

  /** The chart's window and bucket; small enough to be one cheap grouped query. */
  private static final int MAX_ACTIVITY_MINUTES = 24 * 60;

  private final Baton baton;

  HistoryAndLockRoutes(Baton baton) {
    this.baton = baton;
  }

  /** {@code GET /api/history?task=&outcome=&node=&since=&until=&before=&limit=}. */
  void history(Context ctx) {
    HistoryQuery q;
    try {
      q = HistoryQuery.all().limit(intParam(ctx, "limit", 100));
      String task = ctx.queryParam("task");
      if (task != null) q = q.task(task);
      String node = ctx.queryParam("node");
      if (node != null) q = q.node(node);
      String outcome = ctx.queryParam("outcome");
      if (outcome != null) q = q.outcomes(outcomes(outcome));
      Instant since = instantParam(ctx, "since");
      if (since != null) q = q.since(since);
      Instant until = instantParam(ctx, "until");
      if (until != null) q = q.until(until);
      String before = ctx.queryParam("before");
      if (before != null) q = q.before(before);
    } catch (InvalidHistoryQueryException e) {
      // The core names a bad range "since/until"; the later of the two is the one to fix.
      throw ApiException.badRequest(
          "since/until".equals(e.field()) ? "until" : e.field(), e.getMessage());
    }
    HistoryPage page = baton.history().query(q);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("executions", page.entries().stream().map(HistoryAndLockRoutes::view).toList());
    body.put("nextCursor", page.nextCursor().orElse(null));
    AdminServer.json(ctx, 200, body);
  }

  /**
   * {@code GET /api/history/activity?minutes=&bucketSeconds=}: executions per node, bucket and
   * outcome over the last minutes (default 5 minutes in 10 s buckets), cluster-wide.
   */
  void activity(Context ctx) {
    int minutes = intParam(ctx, "minutes", 5);
    if (minutes > MAX_ACTIVITY_MINUTES) {
      throw ApiException.badRequest(
          "minutes", "at most " + MAX_ACTIVITY_MINUTES + "; got " + minutes);
    }
    int bucketSeconds = intParam(ctx, "bucketSeconds", 10);
    if (bucketSeconds > minutes * 60) {
      throw ApiException.badRequest(
          "bucketSeconds", "must not exceed the window of " + minutes * 60 + " s");
    }
    long bucketMillis = bucketSeconds * 1000L;
    // Aligned to whole buckets so that consecutive refreshes draw the same bars.
    long now = System.currentTimeMillis();
    Instant since =
        Instant.ofEpochMilli((now / bucketMillis + 1) * bucketMillis - minutes * 60_000L);
    List<Map<String, Object>> counts = new ArrayList<>();
    for (ActivityCount c : baton.history().activity(since, Duration.ofMillis(bucketMillis))) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("node", c.node());
      row.put("bucketStart", c.bucketStart());
      row.put("outcome", c.outcome().name());
      row.put("count", c.count());
      counts.add(row);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("since", since);
    body.put("bucketSeconds", bucketSeconds);
    body.put("buckets", minutes * 60 / bucketSeconds);
    body.put("counts", counts);
    AdminServer.json(ctx, 200, body);
  }

  /** {@code GET /api/locks}: every lock held now, by name. */
  void locks(Context ctx) {
    List<Map<String, Object>> out =
        baton.locks().held().stream().map(HistoryAndLockRoutes::view).toList();
    AdminServer.json(ctx, 200, Map.of("locks", out));
  }

  /** {@code DELETE /api/locks/{name}}: ends the holder's lease now; logged with who asked. */
  void forceRelease(Context ctx) {
    String name = ctx.pathParam("name");
    try {
      ClusterLocks.validateName(name);
    } catch (InvalidLockArgumentException e) {
      throw ApiException.badRequest("name", e.getMessage());
    }
    LockInfo was =
        baton
            .locks()
            .forceRelease(name)
            .orElseThrow(() -> new ApiException(404, "name", "lock '" + name + "' is not held"));
    log.warn(
        "Lock '{}' force-released through the admin API from {} (held by node {}, token {})",
        name,
        ctx.ip(),
        was.ownerNode(),
        was.fencingToken());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("released", name);
    body.put("was", view(was));
    AdminServer.json(ctx, 200, body);
  }

  private static Map<String, Object> view(Execution e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("task", e.task());
    m.put("trigger", e.trigger());
    m.put("nodeId", e.node());
    m.put("outcome", e.outcome().name());
    m.put("scheduledFireTime", e.scheduledFireTime());
    m.put("startedAt", e.startedAt());
    m.put("endedAt", e.endedAt());
    m.put("durationMs", e.duration() == null ? null : e.duration().toMillis());
    m.put(
        "lateMs",
        e.scheduledFireTime() == null
            ? null
            : Duration.between(e.scheduledFireTime(), e.startedAt()).toMillis());
    m.put("recovery", e.recovery());
    m.put("refireCount", e.refireCount());
    m.put("fencingToken", e.fencingToken());
    m.put(
        "error",
        e.errorClass() == null
            ? e.message()
            : e.errorClass() + (e.message() == null ? "" : ": " + e.message()));
    m.put("stackTrace", e.stackTrace());
    m.put("details", e.details());
    m.put("log", e.log());
    return m;
  }

  private static Map<String, Object> view(LockInfo l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", l.name());
    m.put("holder", l.ownerNode());
    m.put("thread", l.ownerThread());
    m.put("token", l.fencingToken());
    m.put("acquiredAt", l.acquiredAt());
    m.put("expiresAt", l.expiresAt());
    return m;
  }

  private static Outcome[] outcomes(String csv) {
    List<Outcome> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      String v = s.trim().toUpperCase(Locale.ROOT);
      try {
        out.add(Outcome.valueOf(v));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(
            "outcome",
            "unknown outcome '"
                + s.trim()
                + "'; use one or more of "
                + Arrays.toString(Outcome.values()));
      }
    }
    return out.toArray(Outcome[]::new);
  }

  private static int intParam(Context ctx, String name, int fallback) {
    String v = ctx.queryParam(name);
    if (v == null) return fallback;
    try {
      int n = Integer.parseInt(v.trim());
      if (n < 1) throw ApiException.badRequest(name, "must be at least 1; got " + n);
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name, "must be a whole number; got '" + v + "'");
    }
  }

  private static Instant instantParam(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null) return null;
    try {
      return Instant.parse(v.trim());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          name, "'" + v + "' is not an ISO-8601 instant such as 2030-01-31T02:00:00Z");
    }
  }
}
