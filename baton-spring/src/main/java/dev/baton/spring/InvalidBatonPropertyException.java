package dev.baton.spring;

import dev.baton.InvalidSettingException;

/**
 * Baton refused a setting that came from a Spring property: carries the property's name (e.g.
 * {@code baton.threads} or {@code spring.quartz.properties.org.quartz.threadPool.threadCount}) so
 * that the starters' failure analyzers can name what to fix.
 */
public final class InvalidBatonPropertyException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String property;

  public InvalidBatonPropertyException(String property, InvalidSettingException cause) {
    super("Invalid property '" + property + "': " + cause.getMessage(), cause);
    this.property = property;
  }

  /** The Spring property that holds the refused value. */
  public String property() {
    return property;
  }

  /** Baton's own refusal, naming the builder setting, the value and the fix. */
  public InvalidSettingException setting() {
    return (InvalidSettingException) getCause();
  }
}
