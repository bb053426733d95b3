package dev.baton.scheduling;

import dev.baton.BatonException;

/** A task definition was refused; nothing was written. */
public final class InvalidTaskException extends BatonException {
  private static final long serialVersionUID = 1L;
  private final String task;
  private final String field;

  public InvalidTaskException(String task, String field, String problem) {
    super("Task '" + task + "': " + field + " " + problem);
    this.task = task;
    this.field = field;
  }

  /** The task's name as given (possibly blank or invalid itself). */
  public String task() {
    return task;
  }

  /** The offending part of the definition: name, jobClass, cron, timeZone, data, … */
  public String field() {
    return field;
  }
}
