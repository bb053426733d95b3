package dev.baton.internal.store;

import dev.baton.internal.JobData;
import dev.baton.internal.TransactionalJobs;
import dev.baton.internal.UnavailableJobDetail;
import dev.baton.internal.classloading.SharedClassLoadHelper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.JobPersistenceException;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.JobDetailImpl;
import org.quartz.impl.jdbcjobstore.FiredTriggerRecord;
import org.quartz.impl.jdbcjobstore.NoRecordFoundException;
import org.quartz.impl.jdbcjobstore.StdJDBCDelegate;
import org.quartz.impl.jdbcjobstore.TriggerPersistenceDelegate;
import org.quartz.impl.jdbcjobstore.TriggerPersistenceDelegate.TriggerPropertyBundle;
import org.quartz.impl.jdbcjobstore.Util;
import org.quartz.spi.ClassLoadHelper;
import org.quartz.spi.OperableTrigger;

/**
 * Quartz's SQL, changed in three ways, for every supported database (and read for {@link
 * TriggerBatches} a batch at a time):
 *
 * <ol>
 *   <li>Trigger selection skips triggers whose job class this node cannot run, so they stay WAITING
 *       for a node that can. Stock Quartz acquires them and sets them to ERROR cluster-wide.
 *   <li>Reading a job whose class is missing yields an {@link UnavailableJobDetail} instead of a
 *       ClassNotFoundException, so misfire handling and recovery work on any node.
 *   <li>Nothing is ever deserialized: job data is read as properties text only, and calendars or
 *       custom (blob) triggers, which Quartz can only store as Java objects, are refused and never
 *       selected; nor is a trigger whose own or whose job's data is a serialized Java object.
 * </ol>
 */
public class CapabilityAwareDelegate extends StdJDBCDelegate {
  /** Which triggers a look at the due ones considers (see {@link FastLane}). */
  enum Lane {
    /** every trigger: the cluster-wide lock orders every acquisition (fast lane off). */
    ANY,
    /** the fast lane's triggers, claimed with row locks. */
    FAST,
    /** every other trigger, acquired under the cluster-wide lock. */
    SLOW
  }

  static final String JOB_COLUMNS =
      "J.JOB_NAME, J.JOB_GROUP, J.DESCRIPTION, J.JOB_CLASS_NAME, J.IS_DURABLE, J.IS_NONCONCURRENT,"
          + " J.IS_UPDATE_DATA, J.REQUESTS_RECOVERY, J.JOB_DATA";

  /** Job classes found unrunnable here; excluded in SQL so they cannot crowd out runnable ones. */
  private final Set<String> unrunnable = ConcurrentHashMap.newKeySet();

  /** Given by the store before first use: Quartz creates the delegate by class name. */
  private SchedulerSql sql;

  /**
   * Cron rows are read as {@link dev.baton.internal.cron.DstCronTrigger}s: registered ahead of
   * Quartz's own cron delegate, which the look-ups (first match) then never reach.
   */
  @Override
  protected void addDefaultTriggerPersistenceDelegates() {
    addTriggerPersistenceDelegate(new DstCronPersistence());
    super.addDefaultTriggerPersistenceDelegates();
  }

  /** The statements this delegate runs besides Quartz's own. */
  void use(SchedulerSql sql) {
    this.sql = sql;
  }

  /**
   * A node's fired-trigger entries, for recovery, each locked first: an {@code ExactlyOnce} job
   * committing on that node holds its entry's lock from its commit guard ({@link
   * BatonJobStore#claimExecution}) to its commit, so recovery waits for that commit and then sees
   * the execution done (it no longer requests recovery), or finds its entry first and the commit is
   * refused. Quartz's own read runs after the lock, and the locked values decide.
   */
  @Override
  public List<FiredTriggerRecord> selectInstancesFiredTriggerRecords(
      Connection conn, String instanceName) throws SQLException {
    Map<String, Boolean> locked = new HashMap<>();
    try (PreparedStatement ps = conn.prepareStatement(sql.lockNodeEntries)) {
      ps.setString(1, schedName);
      ps.setString(2, instanceName);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) locked.put(rs.getString(1), rs.getBoolean(2));
      }
    }
    List<FiredTriggerRecord> records = super.selectInstancesFiredTriggerRecords(conn, instanceName);
    records.removeIf(r -> !locked.containsKey(r.getFireInstanceId()));
    for (FiredTriggerRecord r : records) {
      r.setJobRequestsRecovery(r.isJobRequestsRecovery() && locked.get(r.getFireInstanceId()));
    }
    return records;
  }

  private SharedClassLoadHelper classes() {
    return (SharedClassLoadHelper) classLoadHelper;
  }

  @Override
  public List<TriggerKey> selectTriggerToAcquire(
      Connection conn, long noLaterThan, long noEarlierThan, int maxCount) throws SQLException {
    try {
      List<TriggerKey> keys = new ArrayList<>();
      for (Candidate c : selectCandidates(conn, noLaterThan, noEarlierThan, maxCount)) {
        keys.add(c.trigger().getKey());
      }
      return keys;
    } catch (IOException | JobPersistenceException e) {
      throw new SQLException("Could not read due triggers: " + e.getMessage(), e);
    }
  }

  /** A due trigger this node can run, read whole, with its job's concurrency flag. */
  record Candidate(OperableTrigger trigger, boolean nonConcurrent) {}

  /**
   * Up to {@code maxCount} waiting triggers due by {@code noLaterThan} (misfired ones excepted) in
   * fire-time and priority order, of jobs this node can run.
   */
  List<Candidate> selectCandidates(
      Connection conn, long noLaterThan, long noEarlierThan, int maxCount)
      throws SQLException, IOException, JobPersistenceException {
    return selectCandidates(conn, noLaterThan, noEarlierThan, maxCount, Lane.ANY, "");
  }

  /**
   * Up to {@code maxCount} waiting triggers of the given lane due by {@code noLaterThan} (misfired
   * ones excepted) in fire-time and priority order, of jobs this node can run; {@code lockClause}
   * (empty, or one of {@link SchedulerSql}'s lock clauses) is appended to the query.
   */
  List<Candidate> selectCandidates(
      Connection conn,
      long noLaterThan,
      long noEarlierThan,
      int maxCount,
      Lane lane,
      String lockClause)
      throws SQLException, IOException, JobPersistenceException {
    int wanted = Math.max(1, maxCount);
    // A jar added since the last look may have made an excluded class runnable.
    unrunnable.removeIf(classes()::canRun);
    while (true) {
      List<String> excluded = new ArrayList<>(unrunnable);
      List<Candidate> candidates = new ArrayList<>(wanted);
      boolean foundNewUnrunnable = false;
      int rows = 0;
      try (PreparedStatement ps =
          conn.prepareStatement(sql.candidates(lane, excluded.size(), lockClause))) {
        ps.setMaxRows(wanted);
        ps.setString(1, schedName);
        ps.setString(2, STATE_WAITING);
        ps.setLong(3, noLaterThan);
        ps.setLong(4, noEarlierThan);
        ps.setBytes(5, JobData.magic());
        ps.setBytes(6, JobData.magic());
        int next = 7;
        if (lane != Lane.ANY) {
          ps.setBoolean(next++, false); // IS_NONCONCURRENT
          ps.setBoolean(next++, false); // IS_UPDATE_DATA
        }
        for (String className : excluded) ps.setString(next++, className);
        ps.setInt(next, wanted);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows++;
            String jobClass = rs.getString("BATON_JOB_CLASS");
            if (jobClass == null) continue; // the job was deleted since: not a candidate
            if (classes().canRun(jobClass)) {
              TriggerKey key =
                  new TriggerKey(rs.getString(COL_TRIGGER_NAME), rs.getString(COL_TRIGGER_GROUP));
              OperableTrigger trigger;
              try {
                trigger = mapTrigger(conn, rs, key);
              } catch (NoRecordFoundException justStored) {
                // InnoDB reads the locked trigger row at its latest version but the joined simple
                // or cron row from the statement's snapshot: a trigger stored (both rows, one
                // commit) while this select ran shows without its second row. The next look takes
                // it.
                logger.debug(
                    "Node {}: trigger {} was stored while it was being selected; next time",
                    instanceId,
                    key);
                continue;
              }
              candidates.add(new Candidate(trigger, rs.getBoolean("BATON_NONCONCURRENT")));
            } else if (unrunnable.add(jobClass)) {
              foundNewUnrunnable = true;
              logger.info(
                  "Node {} cannot run job class {}; leaving its triggers for a node that can",
                  instanceId,
                  jobClass);
            }
          }
        }
      }
      // Unrunnable rows took places in a full page: look again without them.
      if (foundNewUnrunnable && rows == wanted && candidates.size() < wanted) continue;
      return candidates;
    }
  }

  /**
   * Quartz's misfire handler reads the misfired triggers, then rewrites each blindly under the
   * cluster lock. The fast lane fires without that lock, so the rows are locked as they are read
   * (skipping rows a claim or firing holds: those are not waiting any more); a firing and a misfire
   * policy can then never both apply to one fire time. The page is limited to what Quartz takes
   * (one more, to learn whether more remain).
   */
  @Override
  public boolean hasMisfiredTriggersInState(
      Connection conn, String state, long ts, int count, List<TriggerKey> resultList)
      throws SQLException {
    String select =
        sql.selectMisfiredInState + (count > 0 ? " LIMIT " + (count + 1) : "") + sql.skipLockedT;
    try (PreparedStatement ps = conn.prepareStatement(select)) {
      ps.setString(1, schedName);
      ps.setLong(2, ts);
      ps.setString(3, state);
      ps.setBytes(4, JobData.magic());
      ps.setBytes(5, JobData.magic());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (resultList.size() == count) return true;
          resultList.add(
              new TriggerKey(rs.getString(COL_TRIGGER_NAME), rs.getString(COL_TRIGGER_GROUP)));
        }
      }
    }
    return false;
  }

  @Override
  public JobDetail selectJobDetail(Connection conn, JobKey jobKey, ClassLoadHelper loadHelper)
      throws ClassNotFoundException, IOException, SQLException {
    return selectJob(conn, sql.selectJob, jobKey.getName(), jobKey.getGroup());
  }

  @Override
  public JobDetail selectJobForTrigger(
      Connection conn, ClassLoadHelper loadHelper, TriggerKey triggerKey, boolean loadJobClass)
      throws ClassNotFoundException, SQLException, IOException {
    if (!loadJobClass) return super.selectJobForTrigger(conn, loadHelper, triggerKey, false);
    return selectJob(conn, sql.selectJobForTrigger, triggerKey.getName(), triggerKey.getGroup());
  }

  private JobDetail selectJob(Connection conn, String select, String name, String group)
      throws SQLException, IOException, ClassNotFoundException {
    try (PreparedStatement ps = conn.prepareStatement(select)) {
      ps.setString(1, schedName);
      ps.setString(2, name);
      ps.setString(3, group);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? mapJob(rs) : null;
      }
    }
  }

  /** Maps the job columns ({@code JOB_NAME}, {@code JOB_CLASS_NAME}, … by name) of a row. */
  JobDetail mapJob(ResultSet rs) throws SQLException, IOException, ClassNotFoundException {
    String className = rs.getString("JOB_CLASS_NAME");
    JobDataMap data =
        new JobDataMap(
            JobData.parse(
                rs.getBytes("JOB_DATA"),
                "job " + rs.getString("JOB_GROUP") + "." + rs.getString("JOB_NAME") + " JOB_DATA"));
    JobDetailImpl job =
        !classes().canRun(className)
            ? new UnavailableJobDetail(
                className, rs.getBoolean("IS_NONCONCURRENT"), rs.getBoolean("IS_UPDATE_DATA"))
            : ConcurrencyLimit.of(data) != null
                ? new ConcurrencyLimit.LimitedJobDetail()
                : new JobDetailImpl();
    if (!(job instanceof UnavailableJobDetail)) {
      job.setJobClass(classLoadHelper.loadClass(className, Job.class));
    }
    job.setName(rs.getString("JOB_NAME"));
    job.setGroup(rs.getString("JOB_GROUP"));
    job.setDescription(rs.getString("DESCRIPTION"));
    job.setDurability(rs.getBoolean("IS_DURABLE"));
    job.setRequestsRecovery(
        rs.getBoolean("REQUESTS_RECOVERY") || TransactionalJobs.recoverable(job.getJobClass()));
    job.setJobDataMap(data);
    return job;
  }

  /**
   * Quartz's own mapping of a trigger row (its {@code handleTriggerV2}), job data as text; the row
   * carries the columns of simple and cron triggers, other types are read by Quartz.
   */
  private OperableTrigger mapTrigger(Connection conn, ResultSet rs, TriggerKey key)
      throws SQLException, IOException, JobPersistenceException {
    String type = rs.getString(COL_TRIGGER_TYPE);
    if (!TTYPE_SIMPLE.equals(type) && !TTYPE_CRON.equals(type)) {
      try {
        return selectTrigger(conn, key);
      } catch (ClassNotFoundException e) {
        throw new JobPersistenceException(
            "Could not read trigger " + key + ": " + e.getMessage(), e);
      }
    }
    TriggerPersistenceDelegate typeDelegate = findTriggerPersistenceDelegate(type);
    TriggerPropertyBundle props = typeDelegate.loadExtendedTriggerPropertiesFromResultSet(rs, key);
    long start = rs.getLong(COL_START_TIME);
    long end = rs.getLong(COL_END_TIME);
    TriggerBuilder<?> b =
        TriggerBuilder.newTrigger()
            .withDescription(rs.getString(COL_DESCRIPTION))
            .withPriority(rs.getInt(COL_PRIORITY))
            .startAt(new Date(start))
            .endAt(end > 0 ? new Date(end) : null)
            .withIdentity(key)
            .modifiedByCalendar(rs.getString(COL_CALENDAR_NAME))
            .withSchedule(props.getScheduleBuilder())
            .forJob(new JobKey(rs.getString(COL_JOB_NAME), rs.getString(COL_JOB_GROUP)));
    byte[] data = rs.getBytes(COL_JOB_DATAMAP);
    if (data != null)
      b.usingJobData(new JobDataMap(JobData.parse(data, "trigger " + key + " JOB_DATA")));
    OperableTrigger trigger = (OperableTrigger) b.build();
    trigger.setMisfireInstruction(rs.getInt(COL_MISFIRE_INSTRUCTION));
    long next = rs.getLong(COL_NEXT_FIRE_TIME);
    long previous = rs.getLong(COL_PREV_FIRE_TIME);
    trigger.setNextFireTime(next > 0 ? new Date(next) : null);
    trigger.setPreviousFireTime(previous > 0 ? new Date(previous) : null);
    if (props.getStatePropertyNames() != null) {
      Util.setBeanProps(trigger, props.getStatePropertyNames(), props.getStatePropertyValues());
    }
    return trigger;
  }

  /**
   * Reads the given jobs, one statement per job group among them (their names bound as one array on
   * PostgreSQL: one statement text, planned once). A job that cannot be read (its data is not text)
   * is put in {@code unreadable} with the reason; missing jobs are in neither map.
   */
  Map<JobKey, JobDetail> selectJobs(
      Connection conn, Collection<JobKey> keys, Map<JobKey, Exception> unreadable)
      throws SQLException {
    Map<JobKey, JobDetail> found = new HashMap<>();
    for (Map.Entry<String, List<JobKey>> group :
        SchedulerSql.byGroup(keys, JobKey::getGroup).entrySet()) {
      List<String> names = group.getValue().stream().map(JobKey::getName).toList();
      try (PreparedStatement ps = conn.prepareStatement(sql.selectJobs(names.size()))) {
        ps.setString(1, schedName);
        ps.setString(2, group.getKey());
        sql.bindAmong(ps, 3, names);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            JobKey key = new JobKey(rs.getString("JOB_NAME"), rs.getString("JOB_GROUP"));
            try {
              found.put(key, mapJob(rs));
            } catch (IOException | ClassNotFoundException | RuntimeException e) {
              unreadable.put(key, e);
            }
          }
        }
      }
    }
    return found;
  }

  /** Quartz reads job data through here when useProperties is on; hand it the bytes, checked. */
  @Override
  protected Object getJobDataFromBlob(ResultSet rs, String colName)
      throws ClassNotFoundException, IOException, SQLException {
    byte[] bytes = rs.getBytes(colName);
    if (bytes == null) return null;
    if (JobData.isSerializedJavaObject(bytes)) throw new IOException(JobData.refusal(colName));
    return new ByteArrayInputStream(bytes);
  }

  /** Quartz's only other blob reads are calendars and custom triggers: Java objects. Refused. */
  @Override
  protected Object getObjectFromBlob(ResultSet rs, String colName) throws IOException {
    throw new IOException(
        "Refusing to deserialize column "
            + colName
            + ": Baton never deserializes Java objects from the database (Quartz calendars and"
            + " custom blob triggers are not supported)");
  }

  /**
   * Stock Quartz updates only the extension row of the trigger's new type (simple, cron, …), so a
   * task changed from an interval to a cron schedule kept a base row pointing at a missing cron row
   * and could no longer be read or paused. When the type changes, the old extension row is deleted
   * and the new one inserted, in the same transaction.
   */
  @Override
  public int updateTrigger(
      Connection conn, OperableTrigger trigger, String state, JobDetail jobDetail)
      throws SQLException, IOException {
    String before = triggerType(conn, trigger.getKey());
    int n = super.updateTrigger(conn, trigger, state, jobDetail);
    TriggerPersistenceDelegate now = findTriggerPersistenceDelegate(trigger);
    if (n > 0
        && before != null
        && now != null
        && !before.equals(now.getHandledTriggerTypeDiscriminator())) {
      TriggerPersistenceDelegate old = findTriggerPersistenceDelegate(before);
      if (old != null) {
        old.deleteExtendedTriggerProperties(conn, trigger.getKey());
      } else {
        deleteBlobTrigger(conn, trigger.getKey());
      }
      now.insertExtendedTriggerProperties(conn, trigger, state, jobDetail);
    }
    return n;
  }

  private String triggerType(Connection conn, TriggerKey key) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(sql.triggerType)) {
      ps.setString(1, schedName);
      ps.setString(2, key.getName());
      ps.setString(3, key.getGroup());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
