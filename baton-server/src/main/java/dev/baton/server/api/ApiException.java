package dev.baton.server.api;

/**
 * A request the API refuses, answered as {@code {"error": ..., "field": ...}} with {@link
 * #status()}. Thrown before anything is changed.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String field;

  public ApiException(int status, String field, String message) {
    super(message);
    this.status = status;
    this.field = field;
  }

  /** 400 naming the offending field. */
  public static ApiException badRequest(String field, String message) {
    return new ApiException(400, field, message);
  }

  public int status() {
    return status;
  }

  /** The offending field of the request, or null when the request as a whole is at fault. */
  public String field() {
    return field;
  }
}
