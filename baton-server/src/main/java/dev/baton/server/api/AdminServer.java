package dev.baton.server.api;

import dev.baton.Baton;
import dev.baton.BatonException;
import dev.baton.scheduling.InvalidTaskException;
import dev.baton.scheduling.UnknownTaskException;
import dev.baton.server.AdminToken;
import dev.baton.server.NodeHealth;
import dev.baton.server.metrics.RecentExecutions;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP side: the JSON admin API under {@code /api}, Prometheus metrics at {@code
 * /metrics} and the dashboard at {@code /}. Every route but {@code /api/health} and the dashboard's
 * static files needs {@code Authorization: Bearer <token>}. Every error is JSON {@code {"error":
 * ..., "field": ...}}; no request can take the node down.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  /** Task definitions are small; anything larger is a mistake or an attack. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private final Baton baton;
  private final AdminToken token;
  private final PrometheusMeterRegistry metrics;
  private final RecentExecutions recent;
  private final NodeHealth health;
  private final TaskRoutes taskRoutes;
  private final HistoryAndLockRoutes historyAndLocks;
  private final NodeRoutes nodeRoutes;
  private Javalin app;

  /** How long departed nodes stay listed unless configured. */
  public static final Duration DEFAULT_DEPARTED_RETENTION = Duration.ofHours(24);

  public AdminServer(
      Baton baton,
      AdminToken token,
      PrometheusMeterRegistry metrics,
      RecentExecutions recent,
      NodeHealth health) {
    this(baton, token, metrics, recent, health, DEFAULT_DEPARTED_RETENTION);
  }

  /**
   * @param departedRetention how long a departed node stays listed by {@code /api/nodes}: more than
   *     zero and at most {@link Baton#MAX_DEPARTED}
   */
  public AdminServer(
      Baton baton,
      AdminToken token,
      PrometheusMeterRegistry metrics,
      RecentExecutions recent,
      NodeHealth health,
      Duration departedRetention) {
    this.nodeRoutes = new NodeRoutes(baton, departedRetention);
    this.baton = baton;
    this.health = health;
    this.token = token;
    this.metrics = metrics;
    this.recent = recent;
    this.taskRoutes = new TaskRoutes(baton);
    this.historyAndLocks = new HistoryAndLockRoutes(baton);
  }

  /** Starts listening; returns the bound port (useful with port 0). */
  public int start(String bind, int port) {
    app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              // Our own limit, with a JSON error, is applied while reading; this is a backstop.
              config.http.maxRequestSize = 8L * MAX_BODY_BYTES;
              config.jetty.host = bind;
              config.jetty.port = port;
              config.router.ignoreTrailingSlashes = true;
              routes(config);
            });
    app.start();
    return app.port();
  }

  private void routes(JavalinConfig config) {
    var r = config.routes;
    r.before(this::authenticate);
    r.get("/", ctx -> resource(ctx, "index.html", "text/html; charset=utf-8"));
    r.get("/app.js", ctx -> resource(ctx, "app.js", "text/javascript; charset=utf-8"));
    r.get("/app.css", ctx -> resource(ctx, "app.css", "text/css; charset=utf-8"));
    r.get("/api/health", this::health);
    r.get("/api/nodes", nodeRoutes::list);
    r.get("/api/tasks", taskRoutes::list);
    r.get("/api/tasks/{name}", taskRoutes::get);
    r.put("/api/tasks/{name}", ctx -> taskRoutes.put(ctx, body(ctx)));
    r.delete("/api/tasks/{name}", taskRoutes::delete);
    r.get("/api/tasks/{name}/next", taskRoutes::next);
    r.post("/api/tasks/{name}/run", taskRoutes::run);
    r.post("/api/tasks/{name}/runs", ctx -> taskRoutes.submit(ctx, body(ctx)));
    r.post("/api/tasks/{name}/retry", taskRoutes::retry);
    r.post("/api/tasks/{name}/pause", taskRoutes::pause);
    r.post("/api/tasks/{name}/resume", taskRoutes::resume);
    r.post(
        "/api/triggers/reset-errored",
        ctx -> json(ctx, 200, Map.of("reset", baton.resetErroredTriggers())));
    r.get("/api/stats", this::stats);
    r.get("/api/history", historyAndLocks::history);
    r.get("/api/history/activity", historyAndLocks::activity);
    r.get("/api/locks", historyAndLocks::locks);
    r.delete("/api/locks/{name}", historyAndLocks::forceRelease);
    r.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));

    r.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage(), e.field()));
    r.exception(
        InvalidTaskException.class,
        (e, ctx) -> {
          ApiException api = TaskRequest.invalid(e);
          error(ctx, 400, api.getMessage(), api.field());
        });
    r.exception(UnknownTaskException.class, (e, ctx) -> error(ctx, 404, e.getMessage(), null));
    r.exception(
        HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage(), null));
    r.exception(
        BatonException.class,
        (e, ctx) -> {
          log.warn("Request {} {} failed: {}", ctx.method(), ctx.path(), e.toString());
          error(ctx, 503, e.getMessage(), null);
        });
    r.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("Request {} {} failed", ctx.method(), ctx.path(), e);
          error(ctx, 500, "internal error: " + e.getClass().getSimpleName(), null);
        });
    r.error(
        404,
        ctx -> {
          if (ctx.result() == null)
            error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path(), null);
        });
    r.error(
        405,
        ctx -> error(ctx, 405, "method " + ctx.method() + " not allowed on " + ctx.path(), null));
  }

  private void authenticate(Context ctx) {
    String path = ctx.path();
    if (path.equals("/api/health")
        || path.equals("/")
        || path.equals("/app.js")
        || path.equals("/app.css")) return;
    String header = ctx.header("Authorization");
    String given =
        header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : null;
    if (!token.matches(given)) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ApiException(
          401,
          "Authorization",
          given == null
              ? "missing bearer token: send Authorization: Bearer <token>"
              : "wrong token");
    }
  }

  /**
   * UP (200) or DOWN (503) with the reason, from memory only ({@link NodeHealth}), so that it
   * answers at once even while the database hangs.
   */
  private void health(Context ctx) {
    NodeHealth.Report report = health.report();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", report.up() ? "UP" : "DOWN");
    body.put("nodeId", baton.nodeId());
    body.put("scheduler", report.scheduler().name());
    body.put("version", baton.version());
    if (!report.up()) body.put("reason", report.reason());
    Map<String, Object> database = new LinkedHashMap<>();
    database.put("status", report.databaseUp() ? "UP" : "DOWN");
    database.put("lastContact", report.lastContact());
    database.put("lastContactAgeMs", report.lastContactAge().toMillis());
    if (report.databaseError() != null) database.put("error", report.databaseError());
    Map<String, Object> scheduler = new LinkedHashMap<>();
    scheduler.put(
        "status", report.scheduler() == NodeHealth.SchedulerState.STARTED ? "UP" : "DOWN");
    scheduler.put("state", report.scheduler().name());
    Map<String, Object> checks = new LinkedHashMap<>();
    checks.put("database", database);
    checks.put("scheduler", scheduler);
    body.put("checks", checks);
    ctx.header("Cache-Control", "no-store");
    json(ctx, report.up() ? 200 : 503, body);
  }

  private void stats(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("nodeId", baton.nodeId());
    body.put("bucketSeconds", recent.bucketMillis() / 1000);
    body.put("buckets", recent.buckets());
    body.put("failures", recent.failures());
    body.put("running", baton.runningExecutions());
    json(ctx, 200, body);
  }

  /**
   * Reads the body up to the limit, answering a larger one with 413 naming the body. A body up to
   * four times the limit is read to its end first, so that the client, still sending, gets the
   * answer rather than a reset connection; anything larger is refused from its Content-Length.
   */
  private static byte[] body(Context ctx) throws IOException {
    long declared = ctx.req().getContentLengthLong();
    if (declared > 4L * MAX_BODY_BYTES) throw tooLarge(declared);
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] bytes = in.readNBytes(4 * MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES)
        throw tooLarge(bytes.length > 4 * MAX_BODY_BYTES ? -1 : bytes.length);
      return bytes;
    }
  }

  private static ApiException tooLarge(long size) {
    return new ApiException(
        413,
        "body",
        "request body "
            + (size >= 0 ? "of " + size + " bytes " : "")
            + "is larger than "
            + MAX_BODY_BYTES
            + " bytes");
  }

  private static void resource(Context ctx, String name, String type) throws IOException {
    try (InputStream in =
        AdminServer.class.getResourceAsStream("/dev/baton/server/dashboard/" + name)) {
      if (in == null)
        throw new ApiException(404, null, "dashboard file " + name + " is missing from the jar");
      ctx.contentType(type).header("Cache-Control", "no-store").result(in.readAllBytes());
    }
  }

  /** Writes a JSON response. */
  public static void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }

  /** Writes a JSON error. */
  public static void error(Context ctx, int status, String message, String field) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    if (field != null) body.put("field", field);
    json(ctx, status, body);
  }

  public Baton baton() {
    return baton;
  }

  @Override
  public void close() {
    if (app != null) app.stop();
  }
}
