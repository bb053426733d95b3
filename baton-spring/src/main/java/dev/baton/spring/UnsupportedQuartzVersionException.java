package dev.baton.spring;

/** The application's Quartz is older than Baton supports; see {@link QuartzVersionCheck}. */
public final class UnsupportedQuartzVersionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnsupportedQuartzVersionException(String found, String minimum) {
    super("Baton needs Quartz " + minimum + " or later; the application has Quartz " + found);
  }
}
