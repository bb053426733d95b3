package dev.baton.scheduling;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.quartz.CronTrigger;
import org.quartz.Job;
import org.quartz.JobDetail;
import org.quartz.JobPersistenceException;
import org.quartz.SimpleTrigger;
import org.quartz.impl.jdbcjobstore.Constants;
import org.quartz.impl.triggers.CronTriggerImpl;
import org.quartz.impl.triggers.SimpleTriggerImpl;
import org.quartz.spi.OperableTrigger;

/**
 * Registers many tasks at once, set-based: {@link #CHUNK} tasks per transaction under Quartz's
 * {@code TRIGGER_ACCESS} lock (see {@link BatonJobStore#registerChunk}), each chunk in a handful of
 * statements whatever its size: one query for the chunk's stored jobs, one for its stored triggers
 * (with their states and types), one for paused groups and, for non-concurrent jobs only, one for
 * their running executions; then multi-row inserts (up to 250 rows a statement) of the new jobs,
 * triggers and their simple or cron rows, and JDBC batches of updates for the changed ones only.
 * Triggers of kinds Baton never creates go through Quartz's own delegate, one at a time.
 *
 * <p>The semantics are those of registering each task alone:
 *
 * <ul>
 *   <li>an unchanged task writes nothing;
 *   <li>a changed one is updated in place (job, trigger, and its simple or cron row; a change of
 *       schedule kind replaces only that row), never deleted and recreated;
 *   <li>a paused trigger stays paused, a trigger stored in a paused group (or while every group is
 *       paused) is stored {@code PAUSED}, and one of a non-concurrent job that is executing is
 *       stored {@code BLOCKED} (or {@code PAUSED_BLOCKED}), as Quartz's {@code storeTrigger} does;
 *   <li>a one-shot whose time has passed and whose trigger is gone has completed: its trigger is
 *       recreated only if its time changed;
 *   <li>rows hold exactly what Quartz's own delegate writes (job data as properties text, as with
 *       {@code useProperties=true}), so Quartz reads them back alike.
 * </ul>
 *
 * Validation ({@link #item}) happens for every task before the first chunk is written. A database
 * failure in a later chunk leaves the earlier chunks registered (each is committed whole).
 */
final class TaskRegistration {
  /** Tasks per transaction: large enough to amortise the lock, small enough not to hold it long. */
  static final int CHUNK = 1000;

  /** One task to register, translated to Quartz. */
  record Item(JobDetail job, OperableTrigger trigger, boolean completed) {
    String name() {
      return job.getKey().getName();
    }
  }

  /** What a chunk did, by task name, and the earliest fire time it stored (null if none). */
  record Outcome(Map<String, Registration> results, Long earliestFire) {}

  private record StoredJob(
      String className, String description, boolean durable, boolean recovery, Map<String, String> data) {}

  private record StoredTrigger(String state, String type) {}

  /** A trigger to write: new when {@code stored} is null. */
  private record Pending(Item item, StoredTrigger stored, String state) {}

  private final BatonJobStore store;
  /** Tasks this registration has created in its earlier chunks. */
  private long created;

  private TaskRegistration(BatonJobStore store) {
    this.store = store;
  }

  /**
   * Translates and validates a task; nothing is written.
   *
   * @throws InvalidTaskException when its schedule never fires
   */
  static Item item(Task task, Class<? extends Job> jobClass, Instant now) {
    OperableTrigger trigger = QuartzTasks.trigger(task, null, now.toEpochMilli());
    if (trigger.getNextFireTime() == null) {
      throw new InvalidTaskException(
          task.name(), "schedule", "'" + task.schedule().spec() + "' never fires; give one with a future fire time");
    }
    return new Item(QuartzTasks.job(task, jobClass), trigger, QuartzTasks.completedIfMissing(task, now));
  }

  /** Registers validated items, a chunk per transaction; returns what happened to each, by name. */
  static Map<String, Registration> registerAll(BatonJobStore store, List<Item> items)
      throws JobPersistenceException {
    TaskRegistration registration = new TaskRegistration(store);
    Map<String, Registration> out = new LinkedHashMap<>();
    for (int from = 0; from < items.size(); from += CHUNK) {
      out.putAll(store.registerChunk(registration, items.subList(from, Math.min(items.size(), from + CHUNK))));
    }
    return out;
  }

  /** Writes one chunk in the caller's transaction, which holds {@code TRIGGER_ACCESS}. */
  Outcome write(Connection conn, List<Item> chunk) throws JobPersistenceException {
    try {
      if (created > 0) refreshStatisticsIfOutgrown(conn);
      Outcome out = writeChunk(conn, chunk);
      for (Registration r : out.results().values()) if (r == Registration.CREATED) created++;
      return out;
    } catch (SQLException | IOException e) {
      throw new JobPersistenceException(
          "Could not register " + chunk.size() + " task(s) from '" + chunk.get(0).name() + "': " + e.getMessage(), e);
    }
  }

  private Outcome writeChunk(Connection conn, List<Item> chunk)
      throws SQLException, IOException, JobPersistenceException {
    String jobGroup = chunk.get(0).job().getKey().getGroup();
    String triggerGroup = chunk.get(0).trigger().getKey().getGroup();
    List<String> jobNames = new ArrayList<>(chunk.size());
    List<String> triggerNames = new ArrayList<>(chunk.size());
    for (Item i : chunk) {
      if (!i.job().getKey().getGroup().equals(jobGroup) || !i.trigger().getKey().getGroup().equals(triggerGroup)) {
        throw new IllegalArgumentException("A chunk holds one job group and one trigger group: " + i.name());
      }
      jobNames.add(i.name());
      triggerNames.add(i.trigger().getKey().getName());
    }
    Map<String, StoredJob> jobs = storedJobs(conn, jobGroup, jobNames);
    Map<String, StoredTrigger> triggers = storedTriggers(conn, triggerGroup, triggerNames);

    Map<String, Registration> results = new LinkedHashMap<>();
    List<Item> newJobs = new ArrayList<>();
    List<Item> changedJobs = new ArrayList<>();
    List<Pending> pending = new ArrayList<>();
    for (Item i : chunk) {
      StoredJob stored = jobs.get(i.name());
      StoredTrigger trigger = triggers.get(i.trigger().getKey().getName());
      boolean sameJob = stored != null && sameDefinition(stored, i.job());
      if (sameJob && (trigger != null || i.completed())) {
        results.put(i.name(), Registration.UNCHANGED);
        continue;
      }
      (stored == null ? newJobs : changedJobs).add(i);
      // A one-shot whose time has passed is recreated if it is new or its time changed; if only
      // its data changed it has already run and is not run again.
      if (trigger != null || !i.completed() || stored == null || !sameSchedule(stored, i.job())) {
        boolean paused =
            trigger != null
                && (Constants.STATE_PAUSED.equals(trigger.state())
                    || Constants.STATE_PAUSED_BLOCKED.equals(trigger.state()));
        pending.add(new Pending(i, trigger, paused ? Constants.STATE_PAUSED : Constants.STATE_WAITING));
      }
      results.put(i.name(), stored == null ? Registration.CREATED : Registration.UPDATED);
    }
    if (newJobs.isEmpty() && changedJobs.isEmpty()) return new Outcome(results, null);

    pending = withQuartzStates(conn, triggerGroup, pending);
    insertJobs(conn, newJobs);
    updateJobs(conn, changedJobs);
    Long earliest = writeTriggers(conn, pending);
    return new Outcome(results, earliest);
  }

  /**
   * On PostgreSQL, analyzes the tables when their statistics say they hold fewer jobs than a chunk
   * and than this registration has already created. Each inserted trigger row's foreign-key check
   * is a query whose plan PostgreSQL caches per connection; planned while the tables were (nearly)
   * empty it scans the whole parent table, so a bulk insert into new tables slowed down with every
   * row (20,000 tasks: two minutes instead of seconds). New statistics invalidate the cached plans,
   * which are then planned as index lookups and stay so; a large batch into new tables pays one
   * short ANALYZE, a batch into populated tables none.
   */
  private void refreshStatisticsIfOutgrown(Connection conn) throws SQLException {
    if (!"PostgreSQL".equals(conn.getMetaData().getDatabaseProductName())) return;
    try (PreparedStatement ps = conn.prepareStatement("SELECT reltuples FROM pg_class WHERE oid = to_regclass(?)")) {
      ps.setString(1, store.sql("{0}JOB_DETAILS"));
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && (rs.getDouble(1) >= created || rs.getDouble(1) >= CHUNK)) return;
      }
    }
    try (Statement s = conn.createStatement()) {
      s.execute(store.sql("ANALYZE {0}JOB_DETAILS, {0}TRIGGERS, {0}SIMPLE_TRIGGERS, {0}CRON_TRIGGERS"));
    }
  }

  // --- reads --------------------------------------------------------------------------------

  private Map<String, StoredJob> storedJobs(Connection conn, String group, List<String> names)
      throws SQLException {
    Map<String, StoredJob> out = new HashMap<>();
    String sql =
        "SELECT JOB_NAME, JOB_CLASS_NAME, DESCRIPTION, IS_DURABLE, REQUESTS_RECOVERY, JOB_DATA"
            + " FROM {0}JOB_DETAILS WHERE SCHED_NAME = ? AND JOB_GROUP = ? AND JOB_NAME IN ("
            + marks(names.size()) + ")";
    try (PreparedStatement ps = conn.prepareStatement(store.sql(sql))) {
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
              new StoredJob(rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getBoolean(5), data));
        }
      }
    }
    return out;
  }

  private Map<String, StoredTrigger> storedTriggers(Connection conn, String group, List<String> names)
      throws SQLException {
    Map<String, StoredTrigger> out = new HashMap<>();
    String sql =
        "SELECT TRIGGER_NAME, TRIGGER_STATE, TRIGGER_TYPE FROM {0}TRIGGERS"
            + " WHERE SCHED_NAME = ? AND TRIGGER_GROUP = ? AND TRIGGER_NAME IN (" + marks(names.size()) + ")";
    try (PreparedStatement ps = conn.prepareStatement(store.sql(sql))) {
      bindKeys(ps, group, names);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.put(rs.getString(1), new StoredTrigger(rs.getString(2), rs.getString(3)));
      }
    }
    return out;
  }

  /**
   * The states Quartz's {@code storeTrigger} would give: {@code PAUSED} in a paused group (a group
   * paused through "pause all" is recorded as paused first, as Quartz does), {@code BLOCKED} or
   * {@code PAUSED_BLOCKED} for a non-concurrent job with an execution in progress.
   */
  private List<Pending> withQuartzStates(Connection conn, String group, List<Pending> pending)
      throws SQLException, JobPersistenceException {
    if (pending.isEmpty()) return pending;
    Set<String> pausedGroups = new HashSet<>();
    try (PreparedStatement ps =
        conn.prepareStatement(
            store.sql("SELECT TRIGGER_GROUP FROM {0}PAUSED_TRIGGER_GRPS WHERE SCHED_NAME = ? AND TRIGGER_GROUP IN (?, ?)"))) {
      ps.setString(1, store.schedulerName());
      ps.setString(2, group);
      ps.setString(3, Constants.ALL_GROUPS_PAUSED);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) pausedGroups.add(rs.getString(1));
      }
    }
    boolean groupPaused = pausedGroups.contains(group);
    if (!groupPaused && pausedGroups.contains(Constants.ALL_GROUPS_PAUSED)) {
      store.delegate().insertPausedTriggerGroup(conn, group);
      groupPaused = true;
    }
    List<String> nonConcurrent = new ArrayList<>();
    List<Pending> out = new ArrayList<>(pending.size());
    for (Pending p : pending) {
      String state = p.state();
      if (groupPaused && Constants.STATE_WAITING.equals(state)) state = Constants.STATE_PAUSED;
      out.add(new Pending(p.item(), p.stored(), state));
      if (p.item().job().isConcurrentExecutionDisallowed()) nonConcurrent.add(p.item().name());
    }
    if (nonConcurrent.isEmpty()) return out;
    Set<String> executing = blockingExecutions(conn, out.get(0).item().job().getKey().getGroup(), nonConcurrent);
    for (int i = 0; i < out.size(); i++) {
      Pending p = out.get(i);
      if (!executing.contains(p.item().name()) || !p.item().job().isConcurrentExecutionDisallowed()) continue;
      String blocked =
          Constants.STATE_PAUSED.equals(p.state()) ? Constants.STATE_PAUSED_BLOCKED : Constants.STATE_BLOCKED;
      out.set(i, new Pending(p.item(), p.stored(), blocked));
    }
    return out;
  }

  /** Jobs among {@code names} with a fired-trigger entry of a non-concurrent job (Quartz's test). */
  private Set<String> blockingExecutions(Connection conn, String group, List<String> names) throws SQLException {
    Set<String> out = new HashSet<>();
    Set<String> seen = new HashSet<>();
    String sql =
        "SELECT JOB_NAME, IS_NONCONCURRENT FROM {0}FIRED_TRIGGERS"
            + " WHERE SCHED_NAME = ? AND JOB_GROUP = ? AND JOB_NAME IN (" + marks(names.size()) + ")";
    try (PreparedStatement ps = conn.prepareStatement(store.sql(sql))) {
      bindKeys(ps, group, names);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          // Quartz looks at the first entry it reads for the job.
          if (seen.add(name) && rs.getBoolean(2)) out.add(name);
        }
      }
    }
    return out;
  }

  // --- writes -------------------------------------------------------------------------------

  private void insertJobs(Connection conn, List<Item> items) throws SQLException, IOException {
    List<NewJob> rows = new ArrayList<>(items.size());
    for (Item i : items) rows.add(new NewJob(i.job(), JobData.store(i.job().getJobDataMap().getWrappedMap())));
    insert(
        conn,
        "JOB_DETAILS",
        "SCHED_NAME, JOB_NAME, JOB_GROUP, DESCRIPTION, JOB_CLASS_NAME, IS_DURABLE, IS_NONCONCURRENT,"
            + " IS_UPDATE_DATA, REQUESTS_RECOVERY, JOB_DATA",
        10,
        rows,
        r -> r.data().length,
        (p, r) -> {
          JobDetail j = r.job();
          p.string(store.schedulerName()).string(j.getKey().getName()).string(j.getKey().getGroup())
              .string(j.getDescription()).string(j.getJobClass().getName()).bool(j.isDurable())
              .bool(j.isConcurrentExecutionDisallowed()).bool(j.isPersistJobDataAfterExecution())
              .bool(j.requestsRecovery()).bytes(r.data());
        });
  }

  private void updateJobs(Connection conn, List<Item> items) throws SQLException, IOException {
    if (items.isEmpty()) return;
    String sql =
        "UPDATE {0}JOB_DETAILS SET DESCRIPTION = ?, JOB_CLASS_NAME = ?, IS_DURABLE = ?,"
            + " IS_NONCONCURRENT = ?, IS_UPDATE_DATA = ?, REQUESTS_RECOVERY = ?, JOB_DATA = ?"
            + " WHERE SCHED_NAME = ? AND JOB_NAME = ? AND JOB_GROUP = ?";
    try (PreparedStatement ps = conn.prepareStatement(store.sql(sql))) {
      for (Item i : items) {
        JobDetail j = i.job();
        ps.setString(1, j.getDescription());
        ps.setString(2, j.getJobClass().getName());
        ps.setBoolean(3, j.isDurable());
        ps.setBoolean(4, j.isConcurrentExecutionDisallowed());
        ps.setBoolean(5, j.isPersistJobDataAfterExecution());
        ps.setBoolean(6, j.requestsRecovery());
        ps.setBytes(7, JobData.store(j.getJobDataMap().getWrappedMap()));
        ps.setString(8, store.schedulerName());
        ps.setString(9, j.getKey().getName());
        ps.setString(10, j.getKey().getGroup());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Inserts the new triggers and updates the changed ones; returns the earliest fire time. */
  private Long writeTriggers(Connection conn, List<Pending> pending)
      throws SQLException, IOException, JobPersistenceException {
    List<Pending> inserts = new ArrayList<>();
    List<Pending> updates = new ArrayList<>();
    Long earliest = null;
    for (Pending p : pending) {
      OperableTrigger t = p.item().trigger();
      boolean batchable = typeOf(t) != null && (p.stored() == null || isSimpleOrCron(p.stored().type()));
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
    for (Pending p : inserts) newExtension.add(p.item().trigger());
    for (Pending p : updates) {
      if (p.stored().type().equals(typeOf(p.item().trigger()))) {
        sameExtension.add(p.item().trigger());
      } else {
        oldExtension.add(p);
        newExtension.add(p.item().trigger());
      }
    }
    deleteExtensions(conn, oldExtension);
    insertExtensions(conn, newExtension);
    updateExtensions(conn, sameExtension);
    return earliest;
  }

  private void quartzStore(Connection conn, Pending p) throws SQLException, IOException, JobPersistenceException {
    if (p.stored() == null) {
      store.delegate().insertTrigger(conn, p.item().trigger(), p.state(), p.item().job());
    } else {
      store.delegate().updateTrigger(conn, p.item().trigger(), p.state(), p.item().job());
    }
  }

  private void insertTriggers(Connection conn, List<Pending> items) throws SQLException, IOException {
    insert(
        conn,
        "TRIGGERS",
        "SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, JOB_NAME, JOB_GROUP, DESCRIPTION, NEXT_FIRE_TIME,"
            + " PREV_FIRE_TIME, TRIGGER_STATE, TRIGGER_TYPE, START_TIME, END_TIME, CALENDAR_NAME,"
            + " MISFIRE_INSTR, JOB_DATA, PRIORITY",
        16,
        items,
        r -> 0,
        (p, r) -> {
          OperableTrigger t = r.item().trigger();
          p.string(store.schedulerName()).string(t.getKey().getName()).string(t.getKey().getGroup())
              .string(t.getJobKey().getName()).string(t.getJobKey().getGroup()).string(t.getDescription())
              .longValue(t.getNextFireTime().getTime())
              .longValue(t.getPreviousFireTime() == null ? -1 : t.getPreviousFireTime().getTime())
              .string(r.state()).string(typeOf(t)).longValue(t.getStartTime().getTime())
              .longValue(t.getEndTime() == null ? 0 : t.getEndTime().getTime())
              .string(t.getCalendarName()).intValue(t.getMisfireInstruction())
              // What Quartz writes for a trigger without data of its own (Baton's never have any).
              .bytes(t.getJobDataMap().isEmpty() ? new byte[0] : JobData.store(t.getJobDataMap().getWrappedMap()))
              .intValue(t.getPriority());
        });
  }

  /** Quartz's update of a trigger row, leaving the trigger's own job data as it is. */
  private void updateTriggers(Connection conn, List<Pending> items) throws SQLException {
    if (items.isEmpty()) return;
    String sql =
        "UPDATE {0}TRIGGERS SET JOB_NAME = ?, JOB_GROUP = ?, DESCRIPTION = ?, NEXT_FIRE_TIME = ?,"
            + " PREV_FIRE_TIME = ?, TRIGGER_STATE = ?, TRIGGER_TYPE = ?, START_TIME = ?, END_TIME = ?,"
            + " CALENDAR_NAME = ?, MISFIRE_INSTR = ?, PRIORITY = ?"
            + " WHERE SCHED_NAME = ? AND TRIGGER_NAME = ? AND TRIGGER_GROUP = ?";
    try (PreparedStatement ps = conn.prepareStatement(store.sql(sql))) {
      for (Pending p : items) {
        OperableTrigger t = p.item().trigger();
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
        ps.setString(13, store.schedulerName());
        ps.setString(14, t.getKey().getName());
        ps.setString(15, t.getKey().getGroup());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void insertExtensions(Connection conn, List<OperableTrigger> triggers) throws SQLException, IOException {
    insert(
        conn,
        "SIMPLE_TRIGGERS",
        "SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, REPEAT_COUNT, REPEAT_INTERVAL, TIMES_TRIGGERED",
        6,
        ofType(triggers, Constants.TTYPE_SIMPLE),
        t -> 0,
        (p, t) -> {
          SimpleTrigger s = (SimpleTrigger) t;
          p.string(store.schedulerName()).string(t.getKey().getName()).string(t.getKey().getGroup())
              .intValue(s.getRepeatCount()).longValue(s.getRepeatInterval()).intValue(s.getTimesTriggered());
        });
    insert(
        conn,
        "CRON_TRIGGERS",
        "SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, CRON_EXPRESSION, TIME_ZONE_ID",
        5,
        ofType(triggers, Constants.TTYPE_CRON),
        t -> 0,
        (p, t) -> {
          CronTrigger c = (CronTrigger) t;
          p.string(store.schedulerName()).string(t.getKey().getName()).string(t.getKey().getGroup())
              .string(c.getCronExpression()).string(c.getTimeZone().getID());
        });
  }

  private void updateExtensions(Connection conn, List<OperableTrigger> triggers) throws SQLException {
    List<OperableTrigger> simple = ofType(triggers, Constants.TTYPE_SIMPLE);
    List<OperableTrigger> cron = ofType(triggers, Constants.TTYPE_CRON);
    if (!simple.isEmpty()) {
      String sql =
          "UPDATE {0}SIMPLE_TRIGGERS SET REPEAT_COUNT = ?, REPEAT_INTERVAL = ?, TIMES_TRIGGERED = ?"
              + " WHERE SCHED_NAME = ? AND TRIGGER_NAME = ? AND TRIGGER_GROUP = ?";
      try (PreparedStatement ps = conn.prepareStatement(store.sql(sql))) {
        for (OperableTrigger t : simple) {
          SimpleTrigger s = (SimpleTrigger) t;
          ps.setInt(1, s.getRepeatCount());
          ps.setLong(2, s.getRepeatInterval());
          ps.setInt(3, s.getTimesTriggered());
          ps.setString(4, store.schedulerName());
          ps.setString(5, t.getKey().getName());
          ps.setString(6, t.getKey().getGroup());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    if (!cron.isEmpty()) {
      String sql =
          "UPDATE {0}CRON_TRIGGERS SET CRON_EXPRESSION = ?, TIME_ZONE_ID = ?"
              + " WHERE SCHED_NAME = ? AND TRIGGER_NAME = ? AND TRIGGER_GROUP = ?";
      try (PreparedStatement ps = conn.prepareStatement(store.sql(sql))) {
        for (OperableTrigger t : cron) {
          CronTrigger c = (CronTrigger) t;
          ps.setString(1, c.getCronExpression());
          ps.setString(2, c.getTimeZone().getID());
          ps.setString(3, store.schedulerName());
          ps.setString(4, t.getKey().getName());
          ps.setString(5, t.getKey().getGroup());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  /** Deletes the extension rows of the kind a trigger had before its schedule kind changed. */
  private void deleteExtensions(Connection conn, List<Pending> changedKind) throws SQLException {
    for (String type : List.of(Constants.TTYPE_SIMPLE, Constants.TTYPE_CRON)) {
      List<Pending> of = changedKind.stream().filter(p -> p.stored().type().equals(type)).toList();
      if (of.isEmpty()) continue;
      String table = Constants.TTYPE_SIMPLE.equals(type) ? "SIMPLE_TRIGGERS" : "CRON_TRIGGERS";
      String sql = "DELETE FROM {0}" + table + " WHERE SCHED_NAME = ? AND TRIGGER_NAME = ? AND TRIGGER_GROUP = ?";
      try (PreparedStatement ps = conn.prepareStatement(store.sql(sql))) {
        for (Pending p : of) {
          ps.setString(1, store.schedulerName());
          ps.setString(2, p.item().trigger().getKey().getName());
          ps.setString(3, p.item().trigger().getKey().getGroup());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  /** A new job row with its data already as properties text. */
  private record NewJob(JobDetail job, byte[] data) {}

  /** Binds one row's values, in column order. */
  @FunctionalInterface
  private interface RowBinder<T> {
    void bind(Params p, T row) throws SQLException, IOException;
  }

  /** Rows per multi-row INSERT, and the data bytes past which a statement is cut short. */
  private static final int ROWS_PER_INSERT = 250;

  private static final int BYTES_PER_INSERT = 1 << 20;

  /**
   * Inserts rows with multi-row {@code INSERT ... VALUES (...), (...)} statements (which every
   * supported database takes), a few per chunk instead of a statement per row; each statement holds
   * at most {@link #ROWS_PER_INSERT} rows and, past the first row, {@link #BYTES_PER_INSERT} bytes
   * of data, to stay well within packet and parameter limits.
   */
  private <T> void insert(
      Connection conn, String table, String columns, int width, List<T> rows,
      java.util.function.ToIntFunction<T> bytes, RowBinder<T> binder) throws SQLException, IOException {
    String one = "(" + marks(width) + ")";
    int from = 0;
    while (from < rows.size()) {
      int to = from;
      long size = 0;
      while (to < rows.size() && to - from < ROWS_PER_INSERT) {
        size += bytes.applyAsInt(rows.get(to));
        if (to > from && size > BYTES_PER_INSERT) break;
        to++;
      }
      String sql =
          "INSERT INTO {0}" + table + " (" + columns + ") VALUES "
              + String.join(", ", Collections.nCopies(to - from, one));
      try (PreparedStatement ps = conn.prepareStatement(store.sql(sql))) {
        Params p = new Params(ps);
        for (T row : rows.subList(from, to)) binder.bind(p, row);
        ps.executeUpdate();
      }
      from = to;
    }
  }

  /** Binds parameters one after the other. */
  private static final class Params {
    private final PreparedStatement ps;
    private int next = 1;

    Params(PreparedStatement ps) {
      this.ps = ps;
    }

    Params string(String v) throws SQLException {
      ps.setString(next++, v);
      return this;
    }

    Params longValue(long v) throws SQLException {
      ps.setLong(next++, v);
      return this;
    }

    Params intValue(int v) throws SQLException {
      ps.setInt(next++, v);
      return this;
    }

    Params bool(boolean v) throws SQLException {
      ps.setBoolean(next++, v);
      return this;
    }

    Params bytes(byte[] v) throws SQLException {
      ps.setBytes(next++, v);
      return this;
    }
  }

  // --- helpers ------------------------------------------------------------------------------

  /** Quartz's type discriminator for the triggers written here; null for any other kind. */
  private static String typeOf(OperableTrigger t) {
    if (t instanceof SimpleTriggerImpl s && !s.hasAdditionalProperties()) return Constants.TTYPE_SIMPLE;
    if (t instanceof CronTriggerImpl c && !c.hasAdditionalProperties()) return Constants.TTYPE_CRON;
    return null;
  }

  private static boolean isSimpleOrCron(String type) {
    return Constants.TTYPE_SIMPLE.equals(type) || Constants.TTYPE_CRON.equals(type);
  }

  private static List<OperableTrigger> ofType(List<OperableTrigger> triggers, String type) {
    return triggers.stream().filter(t -> type.equals(typeOf(t))).toList();
  }

  private static boolean sameSchedule(StoredJob stored, JobDetail wanted) {
    return stored.data() != null
        && Objects.equals(
            stored.data().get(QuartzTasks.SCHEDULE_KEY), wanted.getJobDataMap().get(QuartzTasks.SCHEDULE_KEY));
  }

  private static boolean sameDefinition(StoredJob stored, JobDetail wanted) {
    return stored.className().equals(wanted.getJobClass().getName())
        && Objects.equals(stored.description(), wanted.getDescription())
        && stored.durable() == wanted.isDurable()
        && stored.recovery() == wanted.requestsRecovery()
        && stored.data() != null
        && stored.data().equals(wanted.getJobDataMap().getWrappedMap());
  }

  private void bindKeys(PreparedStatement ps, String group, List<String> names) throws SQLException {
    ps.setString(1, store.schedulerName());
    ps.setString(2, group);
    for (int i = 0; i < names.size(); i++) ps.setString(3 + i, names.get(i));
  }

  private static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }
}
