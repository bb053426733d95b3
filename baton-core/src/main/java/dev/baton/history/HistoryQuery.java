package dev.baton.history;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What to read from the history: filters, a page size and where the page starts. Immutable; each
 * method returns a changed copy. Results are newest first (by start time, then id) and paginated by
 * keyset, so a page costs the same however deep it is:
 *
 * <pre>{@code
 * HistoryQuery q = HistoryQuery.all().task("nightly-report").outcomes(Outcome.FAILED).limit(50);
 * HistoryPage page = baton.history().query(q);
 * while (page.nextCursor().isPresent()) {
 *   page = baton.history().query(q.before(page.nextCursor().get()));
 * }
 * }</pre>
 */
public final class HistoryQuery {
  /** The largest page; larger pages would hold the connection and the heap for long. */
  public static final int MAX_LIMIT = 1000;

  private final String task;
  private final Set<Outcome> outcomes;
  private final String node;
  private final Instant since;
  private final Instant until;
  private final Cursor before;
  private final int limit;

  private HistoryQuery(
      String task,
      Set<Outcome> outcomes,
      String node,
      Instant since,
      Instant until,
      Cursor before,
      int limit) {
    this.task = task;
    this.outcomes = outcomes;
    this.node = node;
    this.since = since;
    this.until = until;
    this.before = before;
    this.limit = limit;
  }

  /** Every entry, newest first, 100 per page. */
  public static HistoryQuery all() {
    return new HistoryQuery(null, Set.of(), null, null, null, null, 100);
  }

  /** Only entries of this task (Quartz job name). */
  public HistoryQuery task(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidHistoryQueryException("task", name, "give a task name");
    }
    return new HistoryQuery(name, outcomes, node, since, until, before, limit);
  }

  /** Only entries with one of these outcomes; none given means any. */
  public HistoryQuery outcomes(Outcome... wanted) {
    Set<Outcome> set = EnumSet.noneOf(Outcome.class);
    for (Outcome o : wanted) set.add(Objects.requireNonNull(o, "outcome"));
    return new HistoryQuery(task, Set.copyOf(set), node, since, until, before, limit);
  }

  /** Only entries of executions taken by this node. */
  public HistoryQuery node(String nodeId) {
    if (nodeId == null || nodeId.isBlank()) {
      throw new InvalidHistoryQueryException("node", nodeId, "give a node id");
    }
    return new HistoryQuery(task, outcomes, nodeId, since, until, before, limit);
  }

  /** Only entries that started at or after {@code from}. */
  public HistoryQuery since(Instant from) {
    checkRange(from, until);
    return new HistoryQuery(task, outcomes, node, from, until, before, limit);
  }

  /** Only entries that started before {@code to} (exclusive). */
  public HistoryQuery until(Instant to) {
    checkRange(since, to);
    return new HistoryQuery(task, outcomes, node, since, to, before, limit);
  }

  /** The page after the one that returned this cursor ({@link HistoryPage#nextCursor()}). */
  public HistoryQuery before(String cursor) {
    return new HistoryQuery(task, outcomes, node, since, until, Cursor.parse(cursor), limit);
  }

  /** Entries per page, 1 to {@value #MAX_LIMIT} (default 100). */
  public HistoryQuery limit(int n) {
    if (n < 1 || n > MAX_LIMIT) {
      throw new InvalidHistoryQueryException("limit", n, "give 1 to " + MAX_LIMIT);
    }
    return new HistoryQuery(task, outcomes, node, since, until, before, n);
  }

  private static void checkRange(Instant from, Instant to) {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new InvalidHistoryQueryException(
          "since/until", from + " / " + to, "'since' must be before 'until'");
    }
  }

  /** The task asked for, or null for every task. */
  public String task() {
    return task;
  }

  /** The outcomes asked for; empty for every outcome. */
  public Set<Outcome> outcomes() {
    return outcomes;
  }

  /** The node asked for, or null for every node. */
  public String node() {
    return node;
  }

  /** The earliest start time asked for (inclusive), or null. */
  public Instant since() {
    return since;
  }

  /** The latest start time asked for (exclusive), or null. */
  public Instant until() {
    return until;
  }

  /** Where the page starts: after this entry of the previous page; null for the first page. */
  public Cursor cursor() {
    return before;
  }

  /** The most entries a page holds. */
  public int limit() {
    return limit;
  }

  /** A keyset position: the start time and id of the last entry of the previous page. */
  public record Cursor(long startMillis, String id) {
    static Cursor parse(String text) {
      int colon = text == null ? -1 : text.indexOf(':');
      try {
        if (colon > 0 && colon < text.length() - 1) {
          return new Cursor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
        }
      } catch (NumberFormatException bad) {
        // Reported below.
      }
      throw new InvalidHistoryQueryException(
          "before", text, "pass a cursor exactly as HistoryPage.nextCursor() returned it");
    }

    /** The cursor as {@link HistoryPage#nextCursor()} gives it. */
    public String text() {
      return startMillis + ":" + id;
    }
  }
}
