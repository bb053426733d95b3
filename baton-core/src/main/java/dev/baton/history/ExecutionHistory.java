package dev.baton.history;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's execution history: one entry per execution attempt, written by the scheduler itself
 * (so vetoed, skipped and crashed firings leave a trace too). Every read is one set-based, indexed
 * query; reading does not need a started node. Get it from {@code Baton.history()}.
 */
public interface ExecutionHistory {
  /** One page of entries matching {@code query}, newest first (by start time, then id). */
  HistoryPage query(HistoryQuery query);

  /** The entry with this id ({@link Execution#id()}), if it exists. */
  Optional<Execution> find(String id);

  /** Every firing whose job body ran more than once; see {@link #duplicates(Instant)}. */
  List<DuplicateFiring> duplicates();

  /**
   * Firings (one trigger at one scheduled fire time) started since {@code since} whose job body ran
   * more than once: succeeded, failed, running or abandoned entries sharing a {@linkplain
   * Execution#firingKey() firing key}. Skipped and vetoed entries do not count, as nothing ran.
   * Recovery re-runs are counted separately, so that a retry after a node died can be told from a
   * duplicate ({@link DuplicateFiring#unexplained()}). Oldest first.
   */
  List<DuplicateFiring> duplicates(Instant since);

  /**
   * Executions started since {@code since}, counted per node, per {@code bucket} of start time and
   * per outcome: one grouped query, however many executions there were. Buckets with no execution
   * are absent. Oldest first.
   */
  List<ActivityCount> activity(Instant since, Duration bucket);

  /** Whether this node records executions ({@code BatonBuilder.history(boolean)}). */
  boolean recording();

  /**
   * History events this node dropped because its write queue stayed full or the database kept
   * refusing them; each is also logged. Zero unless the database fell behind.
   */
  long droppedEvents();
}
