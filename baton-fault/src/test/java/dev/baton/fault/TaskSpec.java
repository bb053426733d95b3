package dev.baton.fault;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One task of a workload as the harness defines it through the admin API, with what the checks need
 * to know about it.
 *
 * @param name the task's name
 * @param definition the body of {@code PUT /api/tasks/{name}}
 * @param nonConcurrent whether two executions must never overlap (a
 *     {@code @DisallowConcurrentExecution} job)
 * @param recoverable whether a firing interrupted by a node death must be re-run
 * @param lock the cluster lock it runs under, or null
 * @param at for a one-shot task, when it is due; else null
 */
record TaskSpec(
    String name,
    Map<String, Object> definition,
    boolean nonConcurrent,
    boolean recoverable,
    String lock,
    Instant at) {

  static TaskSpec sleepEvery(String name, long intervalMs, long millis) {
    return new TaskSpec(
        name,
        body("type", "sleep", "intervalMs", intervalMs, "data", Map.of("millis", "" + millis)),
        false,
        false,
        null,
        null);
  }

  static TaskSpec sleepCron(String name, String cron, long millis) {
    return new TaskSpec(
        name,
        body("type", "sleep", "cron", cron, "data", Map.of("millis", "" + millis)),
        false,
        false,
        null,
        null);
  }

  /** A recoverable sleep: a firing cut by a node death is re-run on a survivor. */
  static TaskSpec recoverableSleep(String name, long intervalMs, long millis) {
    return new TaskSpec(
        name,
        body(
            "type",
            "sleep",
            "intervalMs",
            intervalMs,
            "recover",
            true,
            "data",
            Map.of("millis", "" + millis)),
        false,
        true,
        null,
        null);
  }

  /** {@code sleep-exclusive}: never overlaps itself cluster-wide; recoverable. */
  static TaskSpec exclusiveSleep(String name, long intervalMs, long millis) {
    return new TaskSpec(
        name,
        body(
            "type",
            "sleep-exclusive",
            "intervalMs",
            intervalMs,
            "recover",
            true,
            "data",
            Map.of("millis", "" + millis)),
        true,
        true,
        null,
        null);
  }

  /** A sleep that fires only for the runs submitted to it ({@link ScenarioRun#submitRuns}). */
  static TaskSpec onDemand(String name, long millis) {
    return new TaskSpec(
        name,
        body("type", "sleep", "onDemand", true, "data", Map.of("millis", "" + millis)),
        false,
        false,
        null,
        null);
  }

  static TaskSpec once(String name, Instant at, long millis) {
    return new TaskSpec(
        name,
        body("type", "sleep", "at", at.toString(), "data", Map.of("millis", "" + millis)),
        false,
        false,
        null,
        at);
  }

  /**
   * {@link PluginJars#FAIL_ONCE_JOB} once at {@code at}, retried once after {@code retryDelayMs}.
   * Not declared a one-shot to the checks: its two attempts are checked by the scenario itself.
   */
  static TaskSpec failOnceRetried(String name, Instant at, long retryDelayMs) {
    Map<String, Object> retry =
        body(
            "maxAttempts",
            2,
            "initialDelayMs",
            retryDelayMs,
            "maxDelayMs",
            retryDelayMs,
            "jitter",
            0);
    return new TaskSpec(
        name,
        body("jobClass", PluginJars.FAIL_ONCE_JOB, "at", at.toString(), "retry", retry),
        false,
        false,
        null,
        null);
  }

  /**
   * {@link PluginJars#EXACTLY_ONCE_JOB} every {@code intervalMs}, working {@code millis} inside its
   * transaction: non-concurrent, and recoverable (as exactly-once jobs are by default).
   */
  static TaskSpec exactlyOnceWriter(String name, long intervalMs, long millis) {
    return new TaskSpec(
        name,
        body(
            "jobClass",
            PluginJars.EXACTLY_ONCE_JOB,
            "intervalMs",
            intervalMs,
            "data",
            Map.of("millis", "" + millis)),
        true,
        true,
        null,
        null);
  }

  /** A job class from a plugin jar, every {@code intervalMs}. */
  static TaskSpec plugin(String name, String jobClass, long intervalMs) {
    return new TaskSpec(
        name, body("jobClass", jobClass, "intervalMs", intervalMs), false, false, null, null);
  }

  /**
   * {@link PluginJars#CLOCK_PROBE_JOB}, on an interval ({@code intervalMs}) or a cron schedule
   * ({@code cron}, when not null): records the database's time at each execution's start.
   */
  static TaskSpec clockProbe(String name, long intervalMs, String cron, FaultDatabase db) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("url", db.url());
    data.put("user", db.user());
    data.put("password", db.password());
    Map<String, Object> b =
        cron == null
            ? body("jobClass", PluginJars.CLOCK_PROBE_JOB, "intervalMs", intervalMs, "data", data)
            : body("jobClass", PluginJars.CLOCK_PROBE_JOB, "cron", cron, "data", data);
    return new TaskSpec(name, b, false, false, null, null);
  }

  /**
   * The fenced writer under cluster lock {@code lock} with a short lease, so that a paused holder
   * loses it: every {@code intervalMs}, writes for {@code millis} with the lock's fencing token.
   */
  static TaskSpec fencedWriter(
      String name, String lock, long leaseMs, long intervalMs, long millis, FaultDatabase db) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("millis", "" + millis);
    data.put("stepMillis", "200");
    data.put("url", db.url());
    data.put("user", db.user());
    data.put("password", db.password());
    return new TaskSpec(
        name,
        body(
            "jobClass",
            PluginJars.FENCED_WRITE_JOB,
            "intervalMs",
            intervalMs,
            "lock",
            lock,
            "lockLeaseMs",
            leaseMs,
            "data",
            data),
        false,
        false,
        lock,
        null);
  }

  private static Map<String, Object> body(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }
}
