package dev.baton.scheduling;

import dev.baton.BatonException;

/** An operation named a task that does not exist in the cluster. */
public final class UnknownTaskException extends BatonException {
  private static final long serialVersionUID = 1L;
  private final String task;

  public UnknownTaskException(String task) {
    super("No task named '" + task + "' exists in this cluster");
    this.task = task;
  }

  public String task() {
    return task;
  }
}
