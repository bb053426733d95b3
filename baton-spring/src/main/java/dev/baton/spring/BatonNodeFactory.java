package dev.baton.spring;

import dev.baton.Baton;
import dev.baton.BatonBuilder;
import dev.baton.InvalidSettingException;
import dev.baton.scheduling.JobTransactions;
import dev.baton.scheduling.Task;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.quartz.spi.JobFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link Baton} node of a Spring application in standby (migrated, tasks registered,
 * nothing firing): {@link BatonLifecycle} or Spring's {@code SchedulerFactoryBean} starts it.
 *
 * <p>Each setting comes from the first of: its {@code baton.*} property; in Quartz mode, the
 * matching {@code spring.quartz.*} value (see {@link QuartzPropertiesTranslation}); Baton's
 * default. A refused value fails with an {@link InvalidBatonPropertyException} naming the property
 * it came from.
 */
public final class BatonNodeFactory {
  private static final Logger log = LoggerFactory.getLogger(BatonNodeFactory.class);

  /** Cluster name in native mode, when {@code baton.cluster-name} is unset. */
  public static final String DEFAULT_CLUSTER_NAME = "baton";

  private final DataSource dataSource;
  private final BatonProperties properties;
  private final QuartzPropertiesTranslation quartz;
  private final List<Task> tasks;
  private final JobFactory jobFactory;
  private JobTransactions jobTransactions;

  /**
   * @param dataSource the application's (or the {@code @QuartzDataSource}) pool
   * @param properties the {@code baton.*} settings
   * @param quartz the {@code spring.quartz.*} settings, or null in native mode
   * @param tasks the application's {@link Task} beans, registered at start
   * @param jobFactory builds job instances (a {@link SpringJobFactory}), or null for their public
   *     no-argument constructor
   */
  public BatonNodeFactory(
      DataSource dataSource,
      BatonProperties properties,
      QuartzPropertiesTranslation quartz,
      List<Task> tasks,
      JobFactory jobFactory) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.properties = Objects.requireNonNull(properties, "properties");
    this.quartz = quartz;
    this.tasks = List.copyOf(tasks);
    this.jobFactory = jobFactory;
  }

  /**
   * Runs exactly-once jobs in {@code transactions} (see {@link SpringJobTransactions}); null leaves
   * Baton's plain JDBC transactions.
   */
  public BatonNodeFactory jobTransactions(JobTransactions transactions) {
    this.jobTransactions = transactions;
    return this;
  }

  /**
   * Validates every setting, then migrates the schema and registers the tasks; nothing fires yet.
   */
  public Baton build() {
    QuartzVersionCheck.require();
    BatonBuilder b = Baton.builder(dataSource);
    // Builder setting name -> the property its value came from, for the failure message.
    Map<String, String> origin = new HashMap<>();
    BatonProperties p = properties;
    String clusterName = p.getClusterName();
    if (clusterName != null) origin.put("clusterName", "baton.cluster-name");
    else if (quartz != null) {
      clusterName = quartz.schedulerName();
      origin.put("clusterName", quartz.schedulerNameProperty());
    } else clusterName = DEFAULT_CLUSTER_NAME;
    b.clusterName(clusterName);
    set(
        b::nodeId,
        "nodeId",
        "baton.node-id",
        p.getNodeId(),
        QuartzPropertiesTranslation.INSTANCE_ID,
        origin);
    set(
        b::tablePrefix,
        "tablePrefix",
        "baton.table-prefix",
        p.getTablePrefix(),
        QuartzPropertiesTranslation.TABLE_PREFIX,
        origin);
    set(
        b::threads,
        "threads",
        "baton.threads",
        p.getThreads(),
        QuartzPropertiesTranslation.THREAD_COUNT,
        origin);
    set(
        b::checkinInterval,
        "checkinInterval",
        "baton.checkin-interval",
        p.getCheckinInterval(),
        QuartzPropertiesTranslation.CHECKIN_INTERVAL,
        origin);
    set(
        b::misfireThreshold,
        "misfireThreshold",
        "baton.misfire-threshold",
        p.getMisfireThreshold(),
        QuartzPropertiesTranslation.MISFIRE_THRESHOLD,
        origin);
    set(
        b::idleWait,
        "idleWait",
        "baton.idle-wait",
        p.getIdleWait(),
        QuartzPropertiesTranslation.IDLE_WAIT,
        origin);
    set(
        b::batchSize,
        "batchSize",
        "baton.batch-size",
        p.getBatchSize(),
        QuartzPropertiesTranslation.BATCH_SIZE,
        origin);
    set(b::failureGrace, "failureGrace", "baton.failure-grace", p.getFailureGrace(), null, origin);
    set(b::drainTimeout, "drainTimeout", "baton.drain-timeout", p.getDrainTimeout(), null, origin);
    set(
        b::startupTimeout,
        "startupTimeout",
        "baton.startup-timeout",
        p.getStartupTimeout(),
        null,
        origin);
    set(
        b::pluginDirectory,
        "pluginDirectory",
        "baton.plugin-directory",
        p.getPluginDirectory(),
        null,
        origin);
    set(
        b::virtualThreads,
        "virtualThreads",
        "baton.virtual-threads",
        p.getVirtualThreads(),
        null,
        origin);
    set(b::history, "history", "baton.history.enabled", p.getHistory().getEnabled(), null, origin);
    set(
        b::historyRetention,
        "historyRetention",
        "baton.history.retention",
        p.getHistory().getRetention(),
        null,
        origin);
    set(
        b::historyMaxRows,
        "historyMaxRows",
        "baton.history.max-rows",
        p.getHistory().getMaxRows(),
        null,
        origin);
    origin.put("dataSource", "spring.datasource.*");
    origin.put("tasks", "the application's Task beans");
    b.tasks(tasks);
    if (jobFactory != null) b.jobFactory(jobFactory);
    if (jobTransactions != null) b.jobTransactions(jobTransactions);
    if (quartz != null) quartz.logIgnored();
    try {
      b.settings(); // validates everything before any database work
      return b.build();
    } catch (InvalidSettingException e) {
      String property = origin.get(e.setting());
      if (property == null) throw e;
      throw new InvalidBatonPropertyException(property, e);
    }
  }

  /**
   * Applies {@code value} when set, else the Quartz property {@code quartzKey} when given; records
   * which property the value came from.
   */
  private <T> void set(
      Consumer<T> setter,
      String setting,
      String property,
      T value,
      QuartzPropertiesTranslation.Key<T> quartzKey,
      Map<String, String> origin) {
    if (value != null) {
      setter.accept(value);
      origin.put(setting, property);
      return;
    }
    if (quartz == null || quartzKey == null) return;
    String raw = quartz.raw(quartzKey);
    if (raw == null) return;
    T converted;
    try {
      converted = quartzKey.parse(raw);
    } catch (RuntimeException e) {
      throw new InvalidBatonPropertyException(
          quartz.propertyName(quartzKey),
          new InvalidSettingException(setting, raw, "give " + quartzKey.expected()));
    }
    if (converted == null) return; // e.g. instanceId=AUTO: Baton generates one
    log.info(
        "Baton setting {} = {} taken from {}", setting, converted, quartz.propertyName(quartzKey));
    setter.accept(converted);
    origin.put(setting, quartz.propertyName(quartzKey));
  }

  /** Milliseconds as Quartz spells its intervals. */
  static Duration millis(String raw) {
    return Duration.ofMillis(Long.parseLong(raw.trim()));
  }
}
