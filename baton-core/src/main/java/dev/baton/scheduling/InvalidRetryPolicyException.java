package dev.baton.scheduling;

import dev.baton.BatonException;

/** A retry policy was refused: {@link #field()} names the value and the message the fix. */
public final class InvalidRetryPolicyException extends BatonException {
  private static final long serialVersionUID = 1L;
  private final String field;
  private final String problem;

  public InvalidRetryPolicyException(String field, String problem) {
    super("retry " + field + " " + problem);
    this.field = field;
    this.problem = problem;
  }

  /** What is wrong with the value, and the fix. */
  public String problem() {
    return problem;
  }

  /**
   * The offending value: maxAttempts, initialDelay, maxDelay, jitter, retryOn, or a job data key.
   */
  public String field() {
    return field;
  }
}
