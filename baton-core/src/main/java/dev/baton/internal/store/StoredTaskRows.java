package dev.baton.internal.store;

import dev.baton.internal.JobData;
import dev.baton.internal.QuartzTasks;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.quartz.JobDetail;
import org.quartz.impl.jdbcjobstore.Constants;

/**
 * What is stored for a chunk of tasks being registered ({@link TaskRegistration}), read set-based:
 * one query per table for the whole chunk, whatever its size. Nothing here writes but the record of
 * a paused group that Quartz too writes when it stores a trigger under "pause all".
 */
final class StoredTaskRows {
  /** A stored job row; {@code data} is null when it is not properties text. */
  record StoredJob(
      String className,
      String description,
      boolean durable,
      boolean recovery,
      Map<String, String> data) {

    /** Whether this row holds exactly the job Baton would write for {@code wanted}. */
    boolean sameDefinition(JobDetail wanted) {
      return className.equals(wanted.getJobClass().getName())
          && Objects.equals(description, wanted.getDescription())
          && durable == wanted.isDurable()
          && recovery == wanted.requestsRecovery()
          && data != null
          && data.equals(wanted.getJobDataMap().getWrappedMap());
    }

    /** Whether this row's schedule is {@code wanted}'s. */
    boolean sameSchedule(JobDetail wanted) {
      return data != null
          && Objects.equals(
              data.get(QuartzTasks.SCHEDULE_KEY),
              wanted.getJobDataMap().get(QuartzTasks.SCHEDULE_KEY));
    }
  }

  /**
   * A stored trigger row's state, Quartz type discriminator and own data (null when it is not
   * properties text).
   */
  record StoredTrigger(String state, String type, Map<String, String> data) {}

  private final StoreContext ctx;

  StoredTaskRows(StoreContext ctx) {
    this.ctx = ctx;
  }

  /** The stored jobs among {@code names} in {@code group}, by name. */
  Map<String, StoredJob> jobs(Connection conn, String group, List<String> names)
      throws SQLException {
    Map<String, StoredJob> out = new HashMap<>();
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().storedJobs(names.size()))) {
      bindKeys(ps, group, names);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          Map<String, String> data;
          try {
            data = JobData.parse(rs.getBytes(6), "job " + group + "." + name);
          } catch (IOException unreadable) {
            // Not properties text (e.g. a serialized object left by a stock Quartz): it differs
            // from any task's data, so the task's definition replaces it.
            data = null;
          }
          out.put(
              name,
              new StoredJob(
                  rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getBoolean(5), data));
        }
      }
    }
    return out;
  }

  /** The stored triggers among {@code names} in {@code group}, by name. */
  Map<String, StoredTrigger> triggers(Connection conn, String group, List<String> names)
      throws SQLException {
    Map<String, StoredTrigger> out = new HashMap<>();
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().storedTriggers(names.size()))) {
      bindKeys(ps, group, names);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<String, String> data;
          try {
            byte[] bytes = rs.getBytes(4);
            data = bytes == null ? Map.of() : JobData.parse(bytes, "trigger " + rs.getString(1));
          } catch (IOException unreadable) {
            data = null; // differs from any task trigger's data, which is then written
          }
          out.put(rs.getString(1), new StoredTrigger(rs.getString(2), rs.getString(3), data));
        }
      }
    }
    return out;
  }

  /**
   * Whether triggers stored in {@code group} now are stored paused, as Quartz's {@code
   * storeTrigger} decides: the group is paused, or every group is ("pause all"), which is then
   * recorded for this group too, as Quartz does.
   */
  boolean storesPaused(Connection conn, String group) throws SQLException {
    Set<String> paused = pausedGroups(conn, group);
    if (paused.contains(group)) return true;
    if (!paused.contains(Constants.ALL_GROUPS_PAUSED)) return false;
    ctx.delegate().insertPausedTriggerGroup(conn, group);
    return true;
  }

  /** Which of {@code group} and Quartz's "all groups paused" marker are recorded as paused. */
  private Set<String> pausedGroups(Connection conn, String group) throws SQLException {
    Set<String> out = new HashSet<>();
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().pausedGroups)) {
      ps.setString(1, ctx.schedulerName());
      ps.setString(2, group);
      ps.setString(3, Constants.ALL_GROUPS_PAUSED);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1));
      }
    }
    return out;
  }

  private void bindKeys(PreparedStatement ps, String group, List<String> names)
      throws SQLException {
    ps.setString(1, ctx.schedulerName());
    ps.setString(2, group);
    ctx.sql().bindAmong(ps, 3, names);
  }
}
