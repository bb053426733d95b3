package dev.baton.history;

import dev.baton.internal.history.Bounded;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.quartz.JobExecutionContext;

/**
 * Details and log lines that job code attaches to its own history entry:
 *
 * <pre>{@code
 * public void execute(JobExecutionContext ctx) {
 *   ExecutionLog log = ExecutionLog.of(ctx);
 *   log.detail("rows", String.valueOf(n)).line("exported to " + file);
 * }
 * }</pre>
 *
 * <p>Bounded: keys, values and lines together hold at most {@value #MAX_CHARS} characters. What
 * does not fit is cut and counted, and the stored log then ends with {@code … [truncated N chars]}.
 * Recorded when the execution ends, whatever its outcome. Thread-safe.
 */
public final class ExecutionLog {
  /** The bound on keys, values and lines together, in characters. */
  public static final int MAX_CHARS = 16 * 1024;

  /** The key under which a firing's log is attached to its {@code JobExecutionContext}. */
  public static final String CONTEXT_KEY = "baton.executionLog";

  private final Map<String, String> details = new LinkedHashMap<>();
  private final List<String> lines = new ArrayList<>();
  private int used;
  private long truncated;

  private ExecutionLog() {}

  /** The log of the execution {@code context} belongs to, created on first use. */
  public static ExecutionLog of(JobExecutionContext context) {
    Objects.requireNonNull(context, "context");
    synchronized (context) {
      Object existing = context.get(CONTEXT_KEY);
      if (existing instanceof ExecutionLog log) return log;
      ExecutionLog log = new ExecutionLog();
      context.put(CONTEXT_KEY, log);
      return log;
    }
  }

  /** Attaches (or replaces) one detail; a null value is stored as "null". */
  public synchronized ExecutionLog detail(String key, String value) {
    Objects.requireNonNull(key, "key");
    String v = String.valueOf(value);
    String previous = details.remove(key);
    if (previous != null) used -= key.length() + previous.length();
    String k = fit(key);
    if (k.isEmpty()) {
      truncated += v.length();
      return this;
    }
    details.put(k, fit(v));
    return this;
  }

  /** Appends one log line; a line break inside it starts another line. */
  public synchronized ExecutionLog line(String text) {
    String t = fit(String.valueOf(text));
    if (!t.isEmpty() || used < MAX_CHARS) lines.add(t);
    return this;
  }

  /** Takes what fits in the remaining budget and counts the rest. */
  private String fit(String s) {
    int room = MAX_CHARS - used;
    if (s.length() <= room) {
      used += s.length();
      return s;
    }
    truncated += s.length() - room;
    used = MAX_CHARS;
    return s.substring(0, room);
  }

  /** The details attached so far, in order. */
  public synchronized Map<String, String> details() {
    return new LinkedHashMap<>(details);
  }

  /** The lines, one per line, plus the truncation notice if anything was cut; null if empty. */
  /** The lines attached so far, with the truncation note; null when nothing was attached. */
  public synchronized String text() {
    if (lines.isEmpty() && truncated == 0) return null;
    StringBuilder out = new StringBuilder(String.join("\n", lines));
    if (truncated > 0) {
      if (out.length() > 0) out.append('\n');
      out.append(Bounded.marker(truncated));
    }
    return out.toString();
  }
}
