package dev.baton.spring;

import org.quartz.core.QuartzScheduler;

/**
 * Refuses a Quartz older than the one Baton is built on. Baton overrides {@code JobStoreSupport}
 * internals whose signatures changed in 2.5.2: on 2.5.0 (what Spring Boot 3.5 manages) the node
 * starts, then its scheduler thread dies on the first acquisition with a {@code NoSuchMethodError}.
 * Failing at start names the fix instead.
 */
public final class QuartzVersionCheck {
  /** The oldest Quartz Baton runs on. */
  public static final String MINIMUM = "2.5.2";

  private QuartzVersionCheck() {}

  /**
   * Throws {@link UnsupportedQuartzVersionException} unless the Quartz on the class path is recent
   * enough.
   */
  public static void require() {
    String found =
        QuartzScheduler.getVersionMajor()
            + "."
            + QuartzScheduler.getVersionMinor()
            + "."
            + QuartzScheduler.getVersionIteration();
    if (!atLeast(found, MINIMUM)) throw new UnsupportedQuartzVersionException(found, MINIMUM);
  }

  /**
   * Whether dotted version {@code found} is {@code minimum} or later; suffixes such as -SNAPSHOT
   * are ignored.
   */
  static boolean atLeast(String found, String minimum) {
    String[] f = found.split("\\.");
    String[] m = minimum.split("\\.");
    for (int i = 0; i < m.length; i++) {
      int a = i < f.length ? leadingNumber(f[i]) : 0;
      int b = leadingNumber(m[i]);
      if (a != b) return a > b;
    }
    return true;
  }

  private static int leadingNumber(String s) {
    int end = 0;
    while (end < s.length() && Character.isDigit(s.charAt(end))) end++;
    return end == 0 ? 0 : Integer.parseInt(s.substring(0, end));
  }
}
