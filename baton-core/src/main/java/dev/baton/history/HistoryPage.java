package dev.baton.history;

import java.util.List;
import java.util.Optional;

/**
 * One page of a history query, newest first.
 *
 * @param entries at most the query's limit, newest first
 * @param nextCursor pass to {@link HistoryQuery#before(String)} for the next (older) page; empty on
 *     the last page
 */
public record HistoryPage(List<Execution> entries, Optional<String> nextCursor) {
  /** Copies {@code entries}. */
  public HistoryPage {
    entries = List.copyOf(entries);
  }
}
