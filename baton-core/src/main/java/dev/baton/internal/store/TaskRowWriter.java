package dev.baton.internal.store;

import dev.baton.internal.JobData;
import dev.baton.internal.store.StoredTaskRows.StoredTrigger;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.quartz.CronTrigger;
import org.quartz.JobDetail;
import org.quartz.JobPersistenceException;
import org.quartz.SimpleTrigger;
import org.quartz.TriggerKey;
import org.quartz.impl.jdbcjobstore.Constants;
import org.quartz.impl.triggers.CronTriggerImpl;
import org.quartz.impl.triggers.SimpleTriggerImpl;
import org.quartz.spi.OperableTrigger;

/**
 * Writes a chunk of registered tasks' rows set-based ({@link TaskRegistration}): multi-row inserts
 * of new jobs, triggers and their simple or cron rows, JDBC batches of updates for changed ones. A
 * changed schedule kind replaces only the simple or cron row. The rows hold exactly what Quartz's
 * own delegate writes, so Quartz reads them back alike; triggers of kinds Baton never creates go
 * through that delegate, one at a time.
 */
final class TaskRowWriter {
  /** A trigger of {@code job} to write in {@code state}: new when {@code stored} is null. */
  record Pending(JobDetail job, OperableTrigger trigger, StoredTrigger stored, String state) {}

  /** A new job row with its data already as properties text. */
  private record NewJob(JobDetail job, byte[] data) {}

  private final StoreContext ctx;

  TaskRowWriter(StoreContext ctx) {
    this.ctx = ctx;
  }

  /** Inserts the jobs of new tasks. */
  void insertJobs(Connection conn, List<JobDetail> jobs) throws SQLException, IOException {
    List<NewJob> rows = new ArrayList<>(jobs.size());
    for (JobDetail j : jobs)
      rows.add(new NewJob(j, JobData.store(j.getJobDataMap().getWrappedMap())));
    MultiRowInsert.into(
        conn,
        ctx.sql().insertJobs,
        rows,
        r -> r.data().length,
        (p, r) -> {
          JobDetail j = r.job();
          p.string(ctx.schedulerName())
              .string(j.getKey().getName())
              .string(j.getKey().getGroup())
              .string(j.getDescription())
              .string(j.getJobClass().getName())
              .bool(j.isDurable())
              .bool(j.isConcurrentExecutionDisallowed())
              .bool(j.isPersistJobDataAfterExecution())
              .bool(j.requestsRecovery())
              .bytes(r.data());
        });
  }

  /** Updates the job rows of changed tasks in place. */
  void updateJobs(Connection conn, List<JobDetail> jobs) throws SQLException, IOException {
    if (jobs.isEmpty()) return;
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().updateJob)) {
      for (JobDetail j : jobs) {
        ps.setString(1, j.getDescription());
        ps.setString(2, j.getJobClass().getName());
        ps.setBoolean(3, j.isDurable());
        ps.setBoolean(4, j.isConcurrentExecutionDisallowed());
        ps.setBoolean(5, j.isPersistJobDataAfterExecution());
        ps.setBoolean(6, j.requestsRecovery());
        ps.setBytes(7, JobData.store(j.getJobDataMap().getWrappedMap()));
        ps.setString(8, ctx.schedulerName());
        ps.setString(9, j.getKey().getName());
        ps.setString(10, j.getKey().getGroup());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Inserts the new triggers and updates the changed ones; returns the earliest fire time. */
  Long writeTriggers(Connection conn, List<Pending> pending)
      throws SQLException, IOException, JobPersistenceException {
    List<Pending> inserts = new ArrayList<>();
    List<Pending> updates = new ArrayList<>();
    Long earliest = null;
    for (Pending p : pending) {
      OperableTrigger t = p.trigger();
      boolean batchable =
          typeOf(t) != null && (p.stored() == null || isSimpleOrCron(p.stored().type()));
      if (!batchable) {
        quartzStore(conn, p); // a type Baton never creates: Quartz's own path, one at a time
      } else {
        (p.stored() == null ? inserts : updates).add(p);
      }
      long next = t.getNextFireTime().getTime();
      earliest = earliest == null ? next : Math.min(earliest, next);
    }
    insertTriggers(conn, inserts);
    updateTriggers(conn, updates);
    // Extension rows: inserted for new triggers and for a changed schedule kind (the old kind's
    // row deleted first), updated in place otherwise.
    List<OperableTrigger> newExtension = new ArrayList<>();
    List<Pending> oldExtension = new ArrayList<>();
    List<OperableTrigger> sameExtension = new ArrayList<>();
    for (Pending p : inserts) newExtension.add(p.trigger());
    for (Pending p : updates) {
      if (p.stored().type().equals(typeOf(p.trigger()))) {
        sameExtension.add(p.trigger());
      } else {
        oldExtension.add(p);
        newExtension.add(p.trigger());
      }
    }
    deleteExtensions(conn, oldExtension);
    insertExtensions(conn, newExtension);
    updateExtensions(conn, sameExtension);
    return earliest;
  }

  private void quartzStore(Connection conn, Pending p)
      throws SQLException, IOException, JobPersistenceException {
    if (p.stored() == null) {
      ctx.delegate().insertTrigger(conn, p.trigger(), p.state(), p.job());
    } else {
      ctx.delegate().updateTrigger(conn, p.trigger(), p.state(), p.job());
    }
  }

  private void insertTriggers(Connection conn, List<Pending> items)
      throws SQLException, IOException {
    MultiRowInsert.into(
        conn,
        ctx.sql().insertTriggers,
        items,
        r -> 0,
        (p, r) -> {
          OperableTrigger t = r.trigger();
          p.string(ctx.schedulerName())
              .string(t.getKey().getName())
              .string(t.getKey().getGroup())
              .string(t.getJobKey().getName())
              .string(t.getJobKey().getGroup())
              .string(t.getDescription())
              .longValue(t.getNextFireTime().getTime())
              .longValue(t.getPreviousFireTime() == null ? -1 : t.getPreviousFireTime().getTime())
              .string(r.state())
              .string(typeOf(t))
              .longValue(t.getStartTime().getTime())
              .longValue(t.getEndTime() == null ? 0 : t.getEndTime().getTime())
              .string(t.getCalendarName())
              .intValue(t.getMisfireInstruction())
              .bytes(triggerData(t))
              .intValue(t.getPriority());
        });
  }

  /**
   * Quartz's update of a trigger row; the trigger's own job data (a task's trigger holds only its
   * {@link dev.baton.scheduling.DstPolicy}, when not the default) is written only where it changed.
   */
  private void updateTriggers(Connection conn, List<Pending> items)
      throws SQLException, IOException {
    updateTriggerData(conn, items);
    if (items.isEmpty()) return;
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().updateTrigger)) {
      for (Pending p : items) {
        OperableTrigger t = p.trigger();
        ps.setString(1, t.getJobKey().getName());
        ps.setString(2, t.getJobKey().getGroup());
        ps.setString(3, t.getDescription());
        ps.setLong(4, t.getNextFireTime().getTime());
        ps.setLong(5, t.getPreviousFireTime() == null ? -1 : t.getPreviousFireTime().getTime());
        ps.setString(6, p.state());
        ps.setString(7, typeOf(t));
        ps.setLong(8, t.getStartTime().getTime());
        ps.setLong(9, t.getEndTime() == null ? 0 : t.getEndTime().getTime());
        ps.setString(10, t.getCalendarName());
        ps.setInt(11, t.getMisfireInstruction());
        ps.setInt(12, t.getPriority());
        ps.setString(13, ctx.schedulerName());
        ps.setString(14, t.getKey().getName());
        ps.setString(15, t.getKey().getGroup());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void insertExtensions(Connection conn, List<OperableTrigger> triggers)
      throws SQLException, IOException {
    MultiRowInsert.into(
        conn,
        ctx.sql().insertSimple,
        ofType(triggers, Constants.TTYPE_SIMPLE),
        t -> 0,
        (p, t) -> {
          SimpleTrigger s = (SimpleTrigger) t;
          p.string(ctx.schedulerName())
              .string(t.getKey().getName())
              .string(t.getKey().getGroup())
              .intValue(s.getRepeatCount())
              .longValue(s.getRepeatInterval())
              .intValue(s.getTimesTriggered());
        });
    MultiRowInsert.into(
        conn,
        ctx.sql().insertCron,
        ofType(triggers, Constants.TTYPE_CRON),
        t -> 0,
        (p, t) -> {
          CronTrigger c = (CronTrigger) t;
          p.string(ctx.schedulerName())
              .string(t.getKey().getName())
              .string(t.getKey().getGroup())
              .string(c.getCronExpression())
              .string(c.getTimeZone().getID());
        });
  }

  private void updateExtensions(Connection conn, List<OperableTrigger> triggers)
      throws SQLException {
    List<OperableTrigger> simple = ofType(triggers, Constants.TTYPE_SIMPLE);
    List<OperableTrigger> cron = ofType(triggers, Constants.TTYPE_CRON);
    if (!simple.isEmpty()) {
      try (PreparedStatement ps = conn.prepareStatement(ctx.sql().updateSimple)) {
        for (OperableTrigger t : simple) {
          SimpleTrigger s = (SimpleTrigger) t;
          ps.setInt(1, s.getRepeatCount());
          ps.setLong(2, s.getRepeatInterval());
          ps.setInt(3, s.getTimesTriggered());
          ps.setString(4, ctx.schedulerName());
          ps.setString(5, t.getKey().getName());
          ps.setString(6, t.getKey().getGroup());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    if (!cron.isEmpty()) {
      try (PreparedStatement ps = conn.prepareStatement(ctx.sql().updateCron)) {
        for (OperableTrigger t : cron) {
          CronTrigger c = (CronTrigger) t;
          ps.setString(1, c.getCronExpression());
          ps.setString(2, c.getTimeZone().getID());
          ps.setString(3, ctx.schedulerName());
          ps.setString(4, t.getKey().getName());
          ps.setString(5, t.getKey().getGroup());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  /**
   * Deletes triggers with their extension rows of any kind, as Quartz's {@code removeTrigger} does
   * (a task that became on demand loses its own trigger; few at a time).
   */
  void deleteTriggers(Connection conn, List<TriggerKey> keys) throws SQLException {
    // Quartz's deleteTrigger deletes the extension row first.
    for (TriggerKey key : keys) ctx.delegate().deleteTrigger(conn, key);
  }

  /** Deletes the extension rows of the kind a trigger had before its schedule kind changed. */
  private void deleteExtensions(Connection conn, List<Pending> changedKind) throws SQLException {
    for (String type : List.of(Constants.TTYPE_SIMPLE, Constants.TTYPE_CRON)) {
      List<Pending> of = changedKind.stream().filter(p -> p.stored().type().equals(type)).toList();
      if (of.isEmpty()) continue;
      String sql =
          Constants.TTYPE_SIMPLE.equals(type) ? ctx.sql().deleteSimple : ctx.sql().deleteCron;
      try (PreparedStatement ps = conn.prepareStatement(sql)) {
        for (Pending p : of) {
          ps.setString(1, ctx.schedulerName());
          ps.setString(2, p.trigger().getKey().getName());
          ps.setString(3, p.trigger().getKey().getGroup());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  private void updateTriggerData(Connection conn, List<Pending> items)
      throws SQLException, IOException {
    List<Pending> changed =
        items.stream()
            .filter(p -> !p.trigger().getJobDataMap().getWrappedMap().equals(p.stored().data()))
            .toList();
    if (changed.isEmpty()) return;
    try (PreparedStatement ps = conn.prepareStatement(ctx.sql().updateTriggerData)) {
      for (Pending p : changed) {
        OperableTrigger t = p.trigger();
        ps.setBytes(1, triggerData(t));
        ps.setString(2, ctx.schedulerName());
        ps.setString(3, t.getKey().getName());
        ps.setString(4, t.getKey().getGroup());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** What Quartz writes for a trigger's own data: nothing but an empty value when it has none. */
  private static byte[] triggerData(OperableTrigger t) throws IOException {
    return t.getJobDataMap().isEmpty()
        ? new byte[0]
        : JobData.store(t.getJobDataMap().getWrappedMap());
  }

  /** Quartz's type discriminator for the triggers written here; null for any other kind. */
  private static String typeOf(OperableTrigger t) {
    if (t instanceof SimpleTriggerImpl s && !s.hasAdditionalProperties())
      return Constants.TTYPE_SIMPLE;
    if (t instanceof CronTriggerImpl c && !c.hasAdditionalProperties()) return Constants.TTYPE_CRON;
    return null;
  }

  private static boolean isSimpleOrCron(String type) {
    return SchedulerSql.simpleOrCron(type);
  }

  private static List<OperableTrigger> ofType(List<OperableTrigger> triggers, String type) {
    return triggers.stream().filter(t -> type.equals(typeOf(t))).toList();
  }
}
