package dev.baton.internal.history;

import dev.baton.history.Outcome;

/**
 * One history row as written: {@link Execution}'s columns in storage form (epoch millis, encoded
 * details). The same values are written by the insert and, for a finished row, the update.
 */
public record Row(
    String id,
    String job,
    String jobGroup,
    String trigger,
    String triggerGroup,
    Long scheduled,
    long start,
    Long end,
    String node,
    Outcome outcome,
    int refireCount,
    boolean recovery,
    Long fencingToken,
    String errorClass,
    String message,
    String stackTrace,
    String details,
    String log) {

  Long durationMillis() {
    return end == null ? null : end - start;
  }

  /** Characters of free text the row carries: what sizes a multi-row insert. */
  int textLength() {
    return length(message) + length(stackTrace) + length(details) + length(log);
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }
}
