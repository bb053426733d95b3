package dev.baton.history;

/** How an execution attempt ended, or that it has not ended yet. */
public enum Outcome {
  /** The job returned normally. */
  SUCCEEDED,
  /** The job threw; the entry holds the exception's class, message and a trimmed stack trace. */
  FAILED,
  /**
   * The job class cannot run on the node that took the firing (not found, or its constructor
   * failed): nothing ran. The entry's message says why.
   */
  SKIPPED,
  /**
   * A trigger listener vetoed the firing (for example because the task's cluster lock was busy):
   * nothing ran. The entry's message holds the reason the vetoing code gave, if any.
   */
  VETOED,
  /** Started and not finished yet, as far as the database knows. */
  RUNNING,
  /**
   * Was running when the cluster declared its node dead. A recoverable task's firing is then re-run
   * on a survivor, which records a second entry with {@link Execution#recovery()} set. If the node
   * was only paused and finishes after all, its late result replaces this outcome.
   */
  ABANDONED;

  /** Whether the job's body started: what counts when looking for duplicate executions. */
  public boolean ran() {
    return this == SUCCEEDED || this == FAILED || this == RUNNING || this == ABANDONED;
  }
}
