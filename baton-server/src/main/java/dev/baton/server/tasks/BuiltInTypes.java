package dev.baton.server.tasks;

import java.util.Map;
import java.util.Optional;
import org.quartz.Job;

/**
 * The task types every Baton node can run without plugins, by the name the API uses ({@code
 * "type"}), and the check of their data.
 */
public final class BuiltInTypes {
  private static final Map<String, Class<? extends Job>> TYPES =
      Map.of("sleep", SleepJob.class, "sleep-exclusive", SleepExclusiveJob.class);

  private BuiltInTypes() {}

  /** The job class of a type name, if it is one. */
  public static Optional<Class<? extends Job>> jobClass(String type) {
    return Optional.ofNullable(TYPES.get(type));
  }

  /** The type name of a job class name, if it is a built-in one. */
  public static Optional<String> typeOf(String jobClassName) {
    return TYPES.entrySet().stream()
        .filter(e -> e.getValue().getName().equals(jobClassName))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /** The type names, sorted, for error messages. */
  public static String names() {
    return String.join(", ", new java.util.TreeSet<>(TYPES.keySet()));
  }

  /**
   * Checks a built-in type's data; returns the problem, or empty when it is fine. {@code millis}
   * must be a whole number from 0 to one day.
   */
  public static Optional<String> checkData(Map<String, String> data) {
    String millis = data.get("millis");
    if (millis == null) return Optional.empty();
    try {
      long ms = Long.parseLong(millis.trim());
      if (ms >= 0 && ms <= 86_400_000L) return Optional.empty();
    } catch (NumberFormatException e) {
      // Reported below.
    }
    return Optional.of(
        "value for key 'millis' is '" + millis + "'; give whole milliseconds from 0 to 86400000");
  }
}
