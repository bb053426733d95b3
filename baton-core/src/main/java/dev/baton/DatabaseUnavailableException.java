package dev.baton;

/** The database could not be reached within the start-up timeout. */
public final class DatabaseUnavailableException extends BatonException {
  private static final long serialVersionUID = 1L;

  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
