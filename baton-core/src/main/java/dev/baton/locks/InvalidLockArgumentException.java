package dev.baton.locks;

/** A lock call or setting got a bad argument; nothing was written. */
public final class InvalidLockArgumentException extends LockException {
  private static final long serialVersionUID = 1L;
  private final String argument;

  InvalidLockArgumentException(String lockName, String argument, Object value, String fix) {
    super(
        lockName,
        "Lock argument '"
            + argument
            + "' = "
            + shown(value)
            + (lockName == null || argument.equals("name") ? "" : " for lock '" + lockName + "'")
            + " is invalid: "
            + fix);
    this.argument = argument;
  }

  /** The refused argument, as the method or builder spells it. */
  public String argument() {
    return argument;
  }

  private static String shown(Object value) {
    if (value == null) return "null";
    String s = value.toString();
    if (s.length() > 60) s = s.substring(0, 60) + "...(" + s.length() + " chars)";
    return value instanceof String ? "'" + s.replaceAll("\\p{Cntrl}", "?") + "'" : s;
  }
}
