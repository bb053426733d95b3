package dev.baton.spring;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code spring.quartz.*} settings of an application that switches from Spring's Quartz support
 * to Baton: the scheduler name (Quartz's {@code SCHED_NAME}, so Baton's cluster name, so the
 * existing rows stay visible) and the {@code spring.quartz.properties.org.quartz.*} values Baton
 * can honour. Keys Baton decides itself (job store class, delegate, clustering...) are logged as
 * ignored, once, at start.
 */
public final class QuartzPropertiesTranslation {
  private static final Logger log = LoggerFactory.getLogger(QuartzPropertiesTranslation.class);

  /** Stock Spring's default scheduler name: {@code SchedulerFactoryBean}'s bean name. */
  public static final String DEFAULT_SCHEDULER_NAME = "quartzScheduler";

  private static final String PREFIX = "spring.quartz.properties.";

  /**
   * One Quartz property Baton honours.
   *
   * @param <T> the Baton setting's type
   * @param name the Quartz key
   * @param expected what a valid value looks like, for the failure message
   * @param parser converts the text; returns null for "let Baton decide"
   */
  public record Key<T>(String name, String expected, Function<String, T> parser) {
    T parse(String raw) {
      return parser.apply(raw.trim());
    }
  }

  static final Key<String> INSTANCE_ID =
      new Key<>(
          "org.quartz.scheduler.instanceId",
          "a node id, or AUTO",
          v -> "AUTO".equals(v) ? null : v);
  static final Key<String> TABLE_PREFIX =
      new Key<>("org.quartz.jobStore.tablePrefix", "a table prefix", v -> v);
  static final Key<Integer> THREAD_COUNT =
      new Key<>("org.quartz.threadPool.threadCount", "a whole number of threads", Integer::valueOf);
  static final Key<Duration> CHECKIN_INTERVAL =
      new Key<>(
          "org.quartz.jobStore.clusterCheckinInterval", "milliseconds", BatonNodeFactory::millis);
  static final Key<Duration> MISFIRE_THRESHOLD =
      new Key<>("org.quartz.jobStore.misfireThreshold", "milliseconds", BatonNodeFactory::millis);
  static final Key<Duration> IDLE_WAIT =
      new Key<>("org.quartz.scheduler.idleWaitTime", "milliseconds", BatonNodeFactory::millis);
  static final Key<Integer> BATCH_SIZE =
      new Key<>(
          "org.quartz.scheduler.batchTriggerAcquisitionMaxCount",
          "a whole number",
          Integer::valueOf);

  private static final Set<String> HONOURED =
      Set.of(
          INSTANCE_ID.name(),
          TABLE_PREFIX.name(),
          THREAD_COUNT.name(),
          CHECKIN_INTERVAL.name(),
          MISFIRE_THRESHOLD.name(),
          IDLE_WAIT.name(),
          BATCH_SIZE.name(),
          // Stock Quartz reads the name from here when spring.quartz.scheduler-name is unset.
          "org.quartz.scheduler.instanceName");

  private final String schedulerName;
  private final String schedulerNameProperty;
  private final Map<String, String> properties;

  /**
   * @param schedulerName {@code spring.quartz.scheduler-name}, or null when unset
   * @param properties {@code spring.quartz.properties}, keys without the prefix
   */
  public QuartzPropertiesTranslation(String schedulerName, Map<String, String> properties) {
    this.properties = new TreeMap<>(Objects.requireNonNull(properties, "properties"));
    // SchedulerFactoryBean's own precedence: an explicit scheduler name, else Quartz's
    // instanceName property, else the bean name.
    String instanceName = this.properties.get("org.quartz.scheduler.instanceName");
    if (schedulerName != null && !schedulerName.isBlank()) {
      this.schedulerName = schedulerName;
      this.schedulerNameProperty = "spring.quartz.scheduler-name";
    } else if (instanceName != null && !instanceName.isBlank()) {
      this.schedulerName = instanceName.trim();
      this.schedulerNameProperty = PREFIX + "org.quartz.scheduler.instanceName";
    } else {
      this.schedulerName = DEFAULT_SCHEDULER_NAME;
      this.schedulerNameProperty = "spring.quartz.scheduler-name";
    }
  }

  /** Quartz's {@code SCHED_NAME} of the application: Baton's cluster name by default. */
  public String schedulerName() {
    return schedulerName;
  }

  String schedulerNameProperty() {
    return schedulerNameProperty;
  }

  String raw(Key<?> key) {
    return properties.get(key.name());
  }

  String propertyName(Key<?> key) {
    return PREFIX + key.name();
  }

  /** Logs the Quartz properties Baton does not use: Baton's own store and policy apply instead. */
  void logIgnored() {
    properties.keySet().stream()
        .filter(k -> !HONOURED.contains(k))
        .forEach(
            k ->
                log.info(
                    "Baton ignores {}{} = {}: Baton runs its own clustered JDBC job store (string"
                        + " job data, acquisition within the lock, its own connection handling)",
                    PREFIX,
                    k,
                    properties.get(k)));
  }
}
