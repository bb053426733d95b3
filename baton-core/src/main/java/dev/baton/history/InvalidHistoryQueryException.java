package dev.baton.history;

import dev.baton.BatonException;

/** A {@link HistoryQuery} was given a value it cannot use; nothing was queried. */
public final class InvalidHistoryQueryException extends BatonException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidHistoryQueryException(String field, Object value, String fix) {
    super("History query field '" + field + "' = " + value + " is invalid: " + fix);
    this.field = field;
  }

  /** The refused field, as the query method spells it. */
  public String field() {
    return field;
  }
}
