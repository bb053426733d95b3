package dev.baton;

/**
 * Root of every exception Baton throws. Subtypes carry the subject of the failure as fields so that
 * callers can react without parsing messages.
 */
public class BatonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BatonException(String message) {
    super(message);
  }

  public BatonException(String message, Throwable cause) {
    super(message, cause);
  }
}
