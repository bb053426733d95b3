package dev.baton.internal;

import dev.baton.internal.classloading.SharedClassLoadHelper;
import dev.baton.internal.store.ConcurrencyLimit;
import dev.baton.scheduling.InvalidRetryPolicyException;
import dev.baton.scheduling.NodeInfo;
import dev.baton.scheduling.RetryPolicy;
import dev.baton.scheduling.Task;
import dev.baton.scheduling.TaskInfo;
import dev.baton.scheduling.TriggerInfo;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the cluster's tasks with three set-based queries however many tasks there are: jobs with
 * their triggers, what is executing where, and which classes live nodes can run.
 */
final class TaskCatalog {
  private static final Logger log = LoggerFactory.getLogger(TaskCatalog.class);

  private final DataSource dataSource;
  private final String prefix;
  private final String cluster;
  private final SharedClassLoadHelper classes;
  private final NodeDirectory nodes;

  TaskCatalog(
      DataSource dataSource,
      String prefix,
      String cluster,
      SharedClassLoadHelper classes,
      NodeDirectory nodes) {
    this.dataSource = dataSource;
    this.prefix = prefix;
    this.cluster = cluster;
    this.classes = classes;
    this.nodes = nodes;
  }

  static boolean isBatonTask(TaskInfo t) {
    return QuartzTasks.GROUP.equals(t.group()) && t.name().startsWith(Task.RESERVED_PREFIX);
  }

  /** Every job in the cluster, Baton's and any adopted from stock Quartz, by group and name. */
  List<TaskInfo> tasks(String onlyName) throws SQLException {
    Set<String> runnableByLive = new HashSet<>();
    for (NodeInfo n : nodes.nodes()) {
      if (n.alive()) runnableByLive.addAll(n.runnableClasses());
    }
    String sql =
        "SELECT J.JOB_NAME, J.JOB_GROUP, J.DESCRIPTION, J.JOB_CLASS_NAME, J.IS_NONCONCURRENT,"
            + " J.REQUESTS_RECOVERY, J.JOB_DATA, T.TRIGGER_NAME, T.TRIGGER_GROUP, T.TRIGGER_STATE,"
            + " T.NEXT_FIRE_TIME, T.PREV_FIRE_TIME, T.JOB_DATA FROM "
            + prefix
            + "JOB_DETAILS J LEFT JOIN "
            + prefix
            + "TRIGGERS T ON T.SCHED_NAME = J.SCHED_NAME AND T.JOB_NAME = J.JOB_NAME"
            + " AND T.JOB_GROUP = J.JOB_GROUP AND NOT "
            + IS_RUN
            + " WHERE J.SCHED_NAME = ?"
            + (onlyName != null ? " AND J.JOB_NAME = ? AND J.JOB_GROUP = ?" : "")
            + " ORDER BY J.JOB_GROUP, J.JOB_NAME, T.TRIGGER_GROUP, T.TRIGGER_NAME";
    Map<String, Builder> byJob = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection()) {
      Map<String, List<String>> running = running(c, onlyName);
      Map<String, Integer> runs = pendingRuns(c, onlyName);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, cluster);
        if (onlyName != null) {
          ps.setString(2, onlyName);
          ps.setString(3, QuartzTasks.GROUP);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String name = rs.getString(1);
            String group = rs.getString(2);
            String key = group + "\u0000" + name;
            Builder b = byJob.get(key);
            if (b == null) {
              b = new Builder(rs, running.getOrDefault(key, List.of()), runnableByLive);
              b.pendingRuns = runs.getOrDefault(key, 0);
              byJob.put(key, b);
            }
            String triggerName = rs.getString(8);
            if (triggerName != null) {
              if (JobData.isSerializedJavaObject(rs.getBytes(13))) {
                b.serializedTriggerData(rs.getString(9) + "." + triggerName);
              }
              b.triggers.add(
                  new TriggerInfo(
                      triggerName,
                      rs.getString(9),
                      rs.getString(10),
                      instant(rs.getLong(11), rs.wasNull()),
                      instant(rs.getLong(12), rs.wasNull())));
            }
          }
        }
      }
    }
    List<TaskInfo> out = new ArrayList<>(byJob.size());
    for (Builder b : byJob.values()) {
      TaskInfo t = b.build();
      // Baton's own maintenance tasks are found by name but left out of the full listing.
      if (onlyName == null && isBatonTask(t)) continue;
      out.add(t);
    }
    return out;
  }

  /**
   * A run's trigger ({@code <task>#<id>}, Baton's group; task names hold no '#'): counted, not
   * listed, as a task may have many thousands pending.
   */
  private static final String IS_RUN =
      "(T.TRIGGER_GROUP = '" + QuartzTasks.GROUP + "' AND T.TRIGGER_NAME LIKE '%#%')";

  /** Pending runs per task, by group and name: one grouped query. */
  private Map<String, Integer> pendingRuns(Connection c, String onlyName) throws SQLException {
    Map<String, Integer> out = new HashMap<>();
    String sql =
        "SELECT T.JOB_GROUP, T.JOB_NAME, COUNT(*) FROM "
            + prefix
            + "TRIGGERS T WHERE T.SCHED_NAME = ? AND "
            + IS_RUN
            + (onlyName != null ? " AND T.JOB_NAME = ?" : "")
            + " GROUP BY T.JOB_GROUP, T.JOB_NAME";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, cluster);
      if (onlyName != null) ps.setString(2, onlyName);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.put(rs.getString(1) + "\u0000" + rs.getString(2), rs.getInt(3));
      }
    }
    return out;
  }

  private Map<String, List<String>> running(Connection c, String onlyName) throws SQLException {
    Map<String, List<String>> out = new HashMap<>();
    String sql =
        "SELECT JOB_GROUP, JOB_NAME, INSTANCE_NAME FROM "
            + prefix
            + "FIRED_TRIGGERS WHERE SCHED_NAME = ? AND STATE = 'EXECUTING'"
            + (onlyName != null ? " AND JOB_NAME = ?" : "")
            + " ORDER BY INSTANCE_NAME";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, cluster);
      if (onlyName != null) ps.setString(2, onlyName);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1) + "\u0000" + rs.getString(2), k -> new ArrayList<>())
              .add(rs.getString(3));
        }
      }
    }
    return out;
  }

  private static Instant instant(long millis, boolean wasNull) {
    return wasNull || millis <= 0 ? null : Instant.ofEpochMilli(millis);
  }

  private final class Builder {
    final String name;
    final String group;
    final String description;
    final String jobClass;
    final boolean nonConcurrent;
    final boolean recoverable;
    final Map<String, String> stored;
    final List<TriggerInfo> triggers = new ArrayList<>();
    int pendingRuns;
    final List<String> runningOn;
    final boolean runnableByLive;

    /**
     * Why no node can run it, from its data or its triggers'; null if nothing but classes decide.
     */
    String notRunnableReason;

    Builder(ResultSet rs, List<String> runningOn, Set<String> runnableByLive) throws SQLException {
      name = rs.getString(1);
      group = rs.getString(2);
      description = rs.getString(3);
      jobClass = rs.getString(4);
      nonConcurrent = rs.getBoolean(5);
      recoverable = rs.getBoolean(6);
      stored = data(rs.getBytes(7));
      this.runningOn = List.copyOf(runningOn);
      this.runnableByLive = runnableByLive.contains(jobClass);
    }

    void serializedTriggerData(String trigger) {
      if (notRunnableReason == null) {
        notRunnableReason = JobData.notRunnable("the data of trigger " + trigger);
      }
    }

    private Map<String, String> data(byte[] bytes) {
      // Expected, not worth a warning at every listing: the reason is shown with the task.
      if (JobData.isSerializedJavaObject(bytes)) {
        notRunnableReason = JobData.notRunnable("the data of job " + group + "." + name);
        return Map.of();
      }
      try {
        return JobData.parse(bytes, "job " + group + "." + name);
      } catch (IOException e) {
        log.warn("Cannot read the data of job {}.{}: {}", group, name, e.getMessage());
        return Map.of();
      }
    }

    private Duration lockLease(String millis) {
      if (millis == null) return null;
      try {
        return Duration.ofMillis(Long.parseLong(millis));
      } catch (NumberFormatException e) {
        log.warn("Job {}.{} has an unreadable lock lease '{}'", group, name, millis);
        return null;
      }
    }

    TaskInfo build() {
      return new TaskInfo(
          name,
          group,
          jobClass,
          description,
          stored.get(QuartzTasks.SCHEDULE_KEY),
          QuartzTasks.misfire(stored),
          recoverable,
          nonConcurrent,
          QuartzTasks.userData(stored),
          List.copyOf(triggers),
          pendingRuns,
          notRunnableReason == null && classes.canRun(jobClass),
          notRunnableReason == null && runnableByLive,
          runningOn,
          stored.get(QuartzTasks.LOCK_KEY),
          lockLease(stored.get(QuartzTasks.LOCK_LEASE_KEY)),
          retryPolicy(),
          ConcurrencyLimit.of(stored),
          notRunnableReason);
    }

    private RetryPolicy retryPolicy() {
      try {
        return RetryPolicy.fromData(stored);
      } catch (InvalidRetryPolicyException e) {
        log.warn("Job {}.{} has an unreadable retry policy: {}", group, name, e.getMessage());
        return null;
      }
    }
  }
}
