package dev.baton;

/** A {@link BatonBuilder} setting was refused; nothing was started or written. */
public final class InvalidSettingException extends BatonException {
  private static final long serialVersionUID = 1L;
  private final String setting;

  public InvalidSettingException(String setting, Object value, String fix) {
    super("Baton setting '" + setting + "' = " + value + " is invalid: " + fix);
    this.setting = setting;
  }

  /** The name of the refused setting, as the builder method spells it. */
  public String setting() {
    return setting;
  }
}
