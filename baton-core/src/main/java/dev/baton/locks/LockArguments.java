package dev.baton.locks;

import java.time.Duration;

/** Checks of lock names and durations, shared by the API, the options and the task DSL. */
final class LockArguments {
  /** The LOCK_NAME column's size (MySQL's utf8mb4 key limit allows 190). */
  static final int MAX_NAME = 190;

  private LockArguments() {}

  static String checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidLockArgumentException(name, "name", name, "give a non-blank lock name");
    }
    if (name.length() > MAX_NAME) {
      throw new InvalidLockArgumentException(
          name, "name", name, "is " + name.length() + " characters; use at most " + MAX_NAME);
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw new InvalidLockArgumentException(
            name,
            "name",
            name,
            "contains a control character at index " + i + "; use printable text");
      }
    }
    return name;
  }

  static Duration checkLease(String name, Duration lease) {
    if (lease == null || lease.isNegative() || lease.toMillis() < 1) {
      throw new InvalidLockArgumentException(
          name,
          "lease",
          lease,
          "give a lease of at least 1 ms (longer than the work, or renew it)");
    }
    if (lease.compareTo(Duration.ofDays(365)) > 0) {
      throw new InvalidLockArgumentException(
          name, "lease", lease, "give at most 365 days; renew instead of holding forever");
    }
    return lease;
  }

  static Duration checkMaxWait(String name, Duration maxWait) {
    if (maxWait == null || maxWait.isNegative() || maxWait.compareTo(Duration.ofDays(365)) > 0) {
      throw new InvalidLockArgumentException(
          name, "maxWait", maxWait, "give zero (try once) or a positive wait of at most 365 days");
    }
    return maxWait;
  }

  static long micros(Duration d) {
    return d.toNanos() / 1000;
  }
}
