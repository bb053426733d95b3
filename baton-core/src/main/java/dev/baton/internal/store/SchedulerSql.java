package dev.baton.internal.store;

import static org.quartz.impl.jdbcjobstore.Constants.ALL_GROUPS_PAUSED;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_ACQUIRED;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_BLOCKED;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_COMPLETE;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_ERROR;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_EXECUTING;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_PAUSED;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_PAUSED_BLOCKED;
import static org.quartz.impl.jdbcjobstore.Constants.STATE_WAITING;
import static org.quartz.impl.jdbcjobstore.Constants.TTYPE_CRON;
import static org.quartz.impl.jdbcjobstore.Constants.TTYPE_SIMPLE;

import dev.baton.internal.database.Dialect;
import dev.baton.internal.store.CapabilityAwareDelegate.Lane;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every statement of the scheduler that is Baton's own rather than Quartz's, for one dialect and
 * table prefix. The prefix is put in once, here; the statements are plain strings from then on.
 * What differs per database (how a select locks its rows, the clock, planner statistics, the
 * isolation level) is in each dialect's small class, chosen once by {@link #of}; the statements
 * themselves are one SQL for all three. Trigger states are Quartz's constants, never retyped.
 *
 * <p>A statement's Javadoc or comment at its use says why it is shaped as it is; statements that
 * take a variable number of keys are built by a method, their fixed part prepared here.
 *
 * <p>Long on purpose: it is the one place for the store's SQL, so a reader sees every statement
 * that touches Quartz's tables together.
 */
public abstract class SchedulerSql {
  private static final Logger log = LoggerFactory.getLogger(SchedulerSql.class);

  /** {@link #isolation()} when the connection's default is right. */
  public static final int DEFAULT_ISOLATION = -1;

  private final String prefix;

  /** Locks a single-table select's rows, skipping rows others hold. */
  final String skipLocked;

  /** Like {@link #skipLocked}, for a select of {@code TRIGGERS T} reading others by subquery. */
  final String skipLockedT;

  /**
   * Locks a select of {@code TRIGGERS T}'s rows, waiting for rows others hold; only for
   * transactions that hold the cluster lock, which may wait for fast-lane transactions because
   * those never wait.
   */
  final String waitingLockT;

  // The fast lane (FastLane).
  final String releaseClaim;
  final String restoreFireTimes;
  final String setTimesTriggered;
  final String deleteOwnEntry;
  final String nodesWithoutFastLane;
  // Batched acquisition and firing (TriggerBatches).
  final String markExecuting;
  final String advanceTrigger;
  // This node's fired-trigger entries (FiredEntries).
  final String ownsEntry;
  final String claimExecution;
  final String lockNodeEntries;
  private final String entriesIn;
  // Triggers in ERROR (ErroredTriggers).
  final String selectErrored;
  final String resetErrored;
  // Executions at once (ConcurrencyLimit).
  final String nonConcurrentExecuting;
  final String countExecuting;
  // Pause and resume (BatonJobStore).
  final String lockTriggerState;
  // Set-based registration (StoredTaskRows, TaskRowWriter).
  final String updateJob;
  final String updateTrigger;
  final String updateTriggerData;
  final String updateSimple;
  final String updateCron;
  final String deleteSimple;
  final String deleteCron;
  final String pausedGroups;
  final RowsInsert insertJobs;
  final RowsInsert insertTriggers;
  final RowsInsert insertSimple;
  final RowsInsert insertCron;
  final RowsInsert insertFiredRows;
  // Quartz's delegate, as Baton changed it (CapabilityAwareDelegate).
  private final String candidatesAny;
  private final String candidatesFast;
  private final String candidatesSlow;
  final String selectMisfiredInState;
  final String selectJob;
  final String selectJobForTrigger;
  private final String jobsOfGroup;
  final String triggerType;

  /** Picks the dialect's statements; every supported dialect must be listed here. */
  public static SchedulerSql of(Dialect dialect, String tablePrefix) {
    SchedulerSql sql =
        switch (dialect) {
          case H2 -> new H2SchedulerSql(tablePrefix);
          case POSTGRESQL -> new PostgresSchedulerSql(tablePrefix);
          case MYSQL -> new MySqlSchedulerSql(tablePrefix);
        };
    log.debug("Scheduler statements for {} with table prefix {}", dialect, tablePrefix);
    return sql;
  }

  SchedulerSql(String tablePrefix, String skipLocked, String skipLockedT, String waitingLockT) {
    this.prefix = tablePrefix;
    this.skipLocked = skipLocked;
    this.skipLockedT = skipLockedT;
    this.waitingLockT = waitingLockT;
    String key = " WHERE SCHED_NAME = ? AND TRIGGER_NAME = ? AND TRIGGER_GROUP = ?";

    releaseClaim =
        "UPDATE "
            + t("TRIGGERS")
            + " SET TRIGGER_STATE = "
            + q(STATE_WAITING)
            + ", BATON_CLAIM = NULL WHERE SCHED_NAME = ? AND TRIGGER_NAME = ? AND TRIGGER_GROUP = ?"
            + " AND TRIGGER_STATE = "
            + q(STATE_ACQUIRED)
            + " AND BATON_CLAIM = ?";
    restoreFireTimes =
        "UPDATE "
            + t("TRIGGERS")
            + " SET NEXT_FIRE_TIME = ?, PREV_FIRE_TIME = ?,"
            + " TRIGGER_STATE = "
            + q(STATE_WAITING)
            + key
            + " AND NEXT_FIRE_TIME = ?"
            + " AND TRIGGER_STATE IN ("
            + q(STATE_WAITING)
            + ", "
            + q(STATE_COMPLETE)
            + ")";
    setTimesTriggered = "UPDATE " + t("SIMPLE_TRIGGERS") + " SET TIMES_TRIGGERED = ?" + key;
    // By primary key only: the id is this node's own (see FiredEntries on the node's index).
    deleteOwnEntry =
        "DELETE FROM " + t("FIRED_TRIGGERS") + " WHERE SCHED_NAME = ? AND ENTRY_ID = ?";
    // Live nodes (check-in rows) that do not declare the fast lane for their current incarnation.
    nodesWithoutFastLane =
        "SELECT COUNT(*) FROM "
            + t("SCHEDULER_STATE")
            + " S"
            + " WHERE S.SCHED_NAME = ? AND NOT EXISTS (SELECT 1 FROM "
            + t("BATON_NODES")
            + " N"
            + " WHERE N.SCHED_NAME = S.SCHED_NAME AND N.INSTANCE_NAME = S.INSTANCE_NAME"
            + " AND N.PROTOCOL_SINCE = N.STARTED_AT)";

    markExecuting =
        "UPDATE "
            + t("FIRED_TRIGGERS")
            + " SET FIRED_TIME = ?, SCHED_TIME = ?,"
            + " STATE = "
            + q(STATE_EXECUTING)
            + ", JOB_NAME = ?, JOB_GROUP = ?, IS_NONCONCURRENT = ?,"
            + " REQUESTS_RECOVERY = ? WHERE SCHED_NAME = ? AND ENTRY_ID = ?";
    advanceTrigger =
        "UPDATE "
            + t("TRIGGERS")
            + " SET NEXT_FIRE_TIME = ?, PREV_FIRE_TIME = ?,"
            + " TRIGGER_STATE = ?, BATON_CLAIM = NULL"
            + key;

    ownsEntry =
        "SELECT 1 FROM "
            + t("FIRED_TRIGGERS")
            + " WHERE SCHED_NAME = ? AND ENTRY_ID = ? AND INSTANCE_NAME = ?";
    // Rows matched, not changed, are counted (the value may already be false): both drivers'
    // default for MySQL.
    claimExecution =
        "UPDATE "
            + t("FIRED_TRIGGERS")
            + " SET REQUESTS_RECOVERY = ? WHERE SCHED_NAME = ? AND ENTRY_ID = ?"
            + " AND INSTANCE_NAME = ? AND STATE = "
            + q(STATE_EXECUTING);
    lockNodeEntries =
        "SELECT ENTRY_ID, REQUESTS_RECOVERY FROM "
            + t("FIRED_TRIGGERS")
            + " WHERE SCHED_NAME = ? AND INSTANCE_NAME = ? FOR UPDATE";
    // The trigger is read by correlated primary-key lookups, not joined: without statistics
    // PostgreSQL joins by scanning the whole table per row. The node is compared by the caller,
    // not here: given INSTANCE_NAME, PostgreSQL chose the (SCHED_NAME, INSTANCE_NAME) index over
    // the primary key and walked every dead entry the node had left since the last vacuum (3 ms
    // per lookup after 10,000 firings).
    entriesIn =
        "SELECT F.ENTRY_ID, "
            + ofFiredTrigger("TRIGGER_STATE")
            + ", "
            + ofFiredTrigger("TRIGGER_TYPE")
            + ", "
            + ofFiredTrigger("JOB_NAME")
            + ", "
            + ofFiredTrigger("JOB_GROUP")
            + ", "
            + ofFiredTrigger("BATON_CLAIM")
            + ", F.STATE,"
            + " F.INSTANCE_NAME FROM "
            + t("FIRED_TRIGGERS")
            + " F WHERE F.SCHED_NAME = ? AND ";

    selectErrored =
        "SELECT TRIGGER_NAME, TRIGGER_GROUP FROM "
            + t("TRIGGERS")
            + " WHERE SCHED_NAME"
            + " = ? AND TRIGGER_STATE = "
            + q(STATE_ERROR)
            + " ORDER BY TRIGGER_GROUP, TRIGGER_NAME";
    String tr = t("TRIGGERS");
    resetErrored =
        "UPDATE "
            + tr
            + " SET TRIGGER_STATE = CASE"
            + " WHEN EXISTS (SELECT 1 FROM "
            + t("PAUSED_TRIGGER_GRPS")
            + " P WHERE P.SCHED_NAME = "
            + tr
            + ".SCHED_NAME AND (P.TRIGGER_GROUP = "
            + tr
            + ".TRIGGER_GROUP"
            + " OR P.TRIGGER_GROUP = "
            + q(ALL_GROUPS_PAUSED)
            + ")) THEN "
            + q(STATE_PAUSED)
            + " WHEN EXISTS (SELECT 1 FROM "
            + t("FIRED_TRIGGERS")
            + " F WHERE F.SCHED_NAME = "
            + tr
            + ".SCHED_NAME AND F.JOB_NAME = "
            + tr
            + ".JOB_NAME AND F.JOB_GROUP = "
            + tr
            + ".JOB_GROUP AND F.IS_NONCONCURRENT = ? AND F.STATE = "
            + q(STATE_EXECUTING)
            + ")"
            + " THEN "
            + q(STATE_BLOCKED)
            + " ELSE "
            + q(STATE_WAITING)
            + " END"
            + " WHERE SCHED_NAME = ? AND TRIGGER_STATE = "
            + q(STATE_ERROR);

    String ofJob =
        " FROM "
            + t("FIRED_TRIGGERS")
            + " WHERE SCHED_NAME = ? AND JOB_NAME = ?"
            + " AND JOB_GROUP = ?";
    nonConcurrentExecuting =
        "SELECT 1" + ofJob + " AND IS_NONCONCURRENT = ? AND STATE = " + q(STATE_EXECUTING);
    countExecuting = "SELECT COUNT(*)" + ofJob + " AND STATE = " + q(STATE_EXECUTING);

    lockTriggerState =
        "SELECT T.TRIGGER_STATE FROM "
            + t("TRIGGERS")
            + " T WHERE T.SCHED_NAME = ?"
            + " AND T.TRIGGER_NAME = ? AND T.TRIGGER_GROUP = ?"
            + waitingLockT;

    updateJob =
        "UPDATE "
            + t("JOB_DETAILS")
            + " SET DESCRIPTION = ?, JOB_CLASS_NAME = ?,"
            + " IS_DURABLE = ?, IS_NONCONCURRENT = ?, IS_UPDATE_DATA = ?, REQUESTS_RECOVERY = ?,"
            + " JOB_DATA = ? WHERE SCHED_NAME = ? AND JOB_NAME = ? AND JOB_GROUP = ?";
    updateTrigger =
        "UPDATE "
            + t("TRIGGERS")
            + " SET JOB_NAME = ?, JOB_GROUP = ?, DESCRIPTION = ?, NEXT_FIRE_TIME = ?,"
            + " PREV_FIRE_TIME = ?, TRIGGER_STATE = ?, TRIGGER_TYPE = ?, START_TIME = ?, END_TIME ="
            + " ?, CALENDAR_NAME = ?, MISFIRE_INSTR = ?, PRIORITY = ?"
            + key;
    updateTriggerData = "UPDATE " + t("TRIGGERS") + " SET JOB_DATA = ?" + key;
    updateSimple =
        "UPDATE "
            + t("SIMPLE_TRIGGERS")
            + " SET REPEAT_COUNT = ?, REPEAT_INTERVAL = ?,"
            + " TIMES_TRIGGERED = ?"
            + key;
    updateCron =
        "UPDATE " + t("CRON_TRIGGERS") + " SET CRON_EXPRESSION = ?, TIME_ZONE_ID = ?" + key;
    deleteSimple = "DELETE FROM " + t("SIMPLE_TRIGGERS") + key;
    deleteCron = "DELETE FROM " + t("CRON_TRIGGERS") + key;
    pausedGroups =
        "SELECT TRIGGER_GROUP FROM "
            + t("PAUSED_TRIGGER_GRPS")
            + " WHERE SCHED_NAME = ? AND TRIGGER_GROUP IN (?, ?)";
    insertJobs =
        new RowsInsert(
            t("JOB_DETAILS"),
            "SCHED_NAME, JOB_NAME, JOB_GROUP, DESCRIPTION, JOB_CLASS_NAME, IS_DURABLE,"
                + " IS_NONCONCURRENT, IS_UPDATE_DATA, REQUESTS_RECOVERY, JOB_DATA",
            10);
    insertTriggers =
        new RowsInsert(
            t("TRIGGERS"),
            "SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP, JOB_NAME, JOB_GROUP, DESCRIPTION,"
                + " NEXT_FIRE_TIME, PREV_FIRE_TIME, TRIGGER_STATE, TRIGGER_TYPE, START_TIME,"
                + " END_TIME, CALENDAR_NAME, MISFIRE_INSTR, JOB_DATA, PRIORITY",
            16);
    insertSimple =
        new RowsInsert(
            t("SIMPLE_TRIGGERS"),
            "SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP,"
                + " REPEAT_COUNT, REPEAT_INTERVAL, TIMES_TRIGGERED",
            6);
    insertFiredRows =
        new RowsInsert(
            t("FIRED_TRIGGERS"),
            "SCHED_NAME, ENTRY_ID, TRIGGER_NAME, TRIGGER_GROUP, INSTANCE_NAME, FIRED_TIME,"
                + " SCHED_TIME, STATE, JOB_NAME, JOB_GROUP, IS_NONCONCURRENT, REQUESTS_RECOVERY,"
                + " PRIORITY",
            13);
    insertCron =
        new RowsInsert(
            t("CRON_TRIGGERS"),
            "SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP," + " CRON_EXPRESSION, TIME_ZONE_ID",
            5);

    String candidates = DelegateSql.candidates(this);
    String fastLane = DelegateSql.fastLane(this);
    candidatesAny = candidates;
    candidatesFast = candidates + " AND " + fastLane;
    candidatesSlow = candidates + " AND NOT (" + fastLane + ")";
    selectMisfiredInState = DelegateSql.misfiredInState(this);
    String jobColumns = CapabilityAwareDelegate.JOB_COLUMNS;
    selectJob =
        "SELECT "
            + jobColumns
            + " FROM "
            + t("JOB_DETAILS")
            + " J"
            + " WHERE J.SCHED_NAME = ? AND J.JOB_NAME = ? AND J.JOB_GROUP = ?";
    jobsOfGroup =
        "SELECT "
            + jobColumns
            + " FROM "
            + t("JOB_DETAILS")
            + " J"
            + " WHERE J.SCHED_NAME = ? AND J.JOB_GROUP = ? AND ";
    selectJobForTrigger =
        "SELECT "
            + jobColumns
            + " FROM "
            + t("TRIGGERS")
            + " T JOIN "
            + t("JOB_DETAILS")
            + " J ON J.SCHED_NAME = T.SCHED_NAME AND J.JOB_NAME = T.JOB_NAME"
            + " AND J.JOB_GROUP = T.JOB_GROUP"
            + " WHERE T.SCHED_NAME = ? AND T.TRIGGER_NAME = ? AND T.TRIGGER_GROUP = ?";
    triggerType = "SELECT TRIGGER_TYPE FROM " + t("TRIGGERS") + key;
  }

  /** A table's name with the prefix. */
  final String t(String table) {
    return prefix + table;
  }

  /** A constant as an SQL string literal (Quartz's states and types hold no quotes). */
  static String q(String constant) {
    return "'" + constant + "'";
  }

  /** The SQL that reads the database's current time as epoch microseconds, in one column. */
  public abstract String nowMicros();

  /**
   * Takes the next value of the cluster's execution-token sequence (see {@link ExecutionTokens}),
   * in the caller's transaction; a value once taken is never handed out again, rolled back or not.
   */
  abstract long nextTokenBlock(Connection conn) throws SQLException;

  /** Reads one value from a single-row, single-column query. */
  static long single(Connection conn, String query) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(query);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) throw new SQLException("No row from " + query);
      return rs.getLong(1);
    }
  }

  /**
   * The isolation level scheduler connections need, or {@link #DEFAULT_ISOLATION} to leave the
   * connection's own.
   */
  public int isolation() {
    return DEFAULT_ISOLATION;
  }

  /**
   * Refreshes the planner statistics of the scheduler's busiest tables, where the database needs to
   * be told (see {@link PostgresSchedulerSql}); never fails, statistics only help.
   */
  public void refreshStatistics(DataSource dataSource) {}

  /**
   * Before a registration writes a chunk: refreshes the statistics of the registration's tables
   * where they have outgrown them (see {@link PostgresSchedulerSql}).
   */
  void refreshStatisticsIfOutgrown(Connection conn) throws SQLException {}

  /** Runs ANALYZE over the given tables (prefix added). */
  final void analyze(Connection conn, String... tables) throws SQLException {
    StringBuilder s = new StringBuilder("ANALYZE ");
    for (int i = 0; i < tables.length; i++) s.append(i == 0 ? "" : ", ").append(t(tables[i]));
    try (Statement st = conn.createStatement()) {
      st.execute(s.toString());
    }
  }

  // Statements over a number of keys. A set of triggers is written per trigger group (one
  // statement per group among the keys, usually one) as TRIGGER_GROUP = ? and TRIGGER_NAME among
  // the names: PostgreSQL planned a list of (name, group) pairs joined by OR arm by arm, against
  // every index, for milliseconds per statement.

  /** {@code n} comma-separated parameter markers. */
  static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  /**
   * {@code column} among {@code n} values bound by {@link #bindAmong}: an {@code IN} list here, one
   * array on PostgreSQL (one statement text for every {@code n}, planned once per connection).
   */
  String among(String column, int n) {
    return column + " IN (" + marks(n) + ")";
  }

  /** Binds the values of {@link #among} from parameter {@code index}; returns the next index. */
  int bindAmong(PreparedStatement ps, int index, Collection<String> values) throws SQLException {
    for (String v : values) ps.setString(index++, v);
    return index;
  }

  /** The statement's condition on a set of triggers: the scheduler, one group, the names. */
  private String ofGroup(int n) {
    return " WHERE SCHED_NAME = ? AND TRIGGER_GROUP = ? AND " + among("TRIGGER_NAME", n);
  }

  /** {@code items} by their group, in first-seen order: statements over sets run per group. */
  static <T> Map<String, List<T>> byGroup(Collection<T> items, Function<T, String> group) {
    Map<String, List<T>> out = new LinkedHashMap<>();
    for (T item : items) out.computeIfAbsent(group.apply(item), g -> new ArrayList<>()).add(item);
    return out;
  }

  /** Runs a statement over a set of triggers; see {@link #perGroup}. */
  interface GroupStatement {
    void run(PreparedStatement ps) throws SQLException;
  }

  /**
   * Runs a statement over trigger {@code keys} once per trigger group among them, {@code sql}
   * giving its text for a number of names (a statement whose only parameters are the scheduler, the
   * group and the names, as those below).
   */
  void perGroup(
      Connection conn,
      IntFunction<String> sql,
      String schedulerName,
      Collection<TriggerKey> keys,
      GroupStatement run)
      throws SQLException {
    for (Map.Entry<String, List<TriggerKey>> g : byGroup(keys, TriggerKey::getGroup).entrySet()) {
      List<String> names = g.getValue().stream().map(TriggerKey::getName).toList();
      try (PreparedStatement ps = conn.prepareStatement(sql.apply(names.size()))) {
        ps.setString(1, schedulerName);
        ps.setString(2, g.getKey());
        bindAmong(ps, 3, names);
        run.run(ps);
      }
    }
  }

  /** Locks the rows of {@code n} triggers of one group still acquired, skipping others' rows. */
  String lockClaimed(int n) {
    return "SELECT TRIGGER_NAME, TRIGGER_GROUP, BATON_CLAIM FROM "
        + t("TRIGGERS")
        + ofGroup(n)
        + " AND TRIGGER_STATE = "
        + q(STATE_ACQUIRED)
        + skipLocked;
  }

  /** Locks the simple-trigger rows of {@code n} triggers of one group, skipping others' rows. */
  String lockSimpleRows(int n) {
    return "SELECT TRIGGER_NAME, TRIGGER_GROUP FROM "
        + t("SIMPLE_TRIGGERS")
        + ofGroup(n)
        + skipLocked;
  }

  /** Locks the cron-trigger rows of {@code n} triggers of one group, skipping others' rows. */
  String lockCronRows(int n) {
    return "SELECT TRIGGER_NAME, TRIGGER_GROUP FROM "
        + t("CRON_TRIGGERS")
        + ofGroup(n)
        + skipLocked;
  }

  /** Locks the rows of {@code n} finished triggers of one group, skipping others' rows. */
  String lockFinished(int n) {
    return "SELECT TRIGGER_NAME, TRIGGER_GROUP, TRIGGER_TYPE, NEXT_FIRE_TIME FROM "
        + t("TRIGGERS")
        + ofGroup(n)
        + skipLocked;
  }

  /**
   * Deletes {@code table}'s rows of {@code n} triggers of one group in one statement, not one per
   * row: paid once per group where PostgreSQL plans a scan.
   */
  String deleteTriggerRows(String table, int n) {
    return "DELETE FROM " + t(table) + ofGroup(n);
  }

  /**
   * Deletes {@code n} fired-trigger entries by primary key; they are this node's own (checked in
   * the same transaction), and the node is not repeated lest the planner prefer its index.
   */
  String deleteFiredEntries(int n) {
    return "DELETE FROM "
        + t("FIRED_TRIGGERS")
        + " WHERE SCHED_NAME = ? AND "
        + among("ENTRY_ID", n);
  }

  /** The entries among {@code n} fire instance ids, with their trigger's state, job, claim. */
  String entries(int n) {
    return entriesIn + among("F.ENTRY_ID", n);
  }

  /**
   * Sets the named triggers of one group from WAITING to ACQUIRED, each marked with its claim (its
   * fired-trigger entry id, {@code claims} in the order of {@code names}): a firing must find its
   * own claim on the row, so a trigger replaced, paused, recovered or claimed again since can never
   * be fired on a stale acquisition. Returns the rows changed.
   */
  int markAcquired(
      Connection conn, String schedulerName, String group, List<String> names, List<String> claims)
      throws SQLException {
    int n = names.size();
    try (PreparedStatement ps =
        conn.prepareStatement(
            "UPDATE "
                + t("TRIGGERS")
                + " SET TRIGGER_STATE = "
                + q(STATE_ACQUIRED)
                + ", BATON_CLAIM = "
                + claimOf(n)
                + ofGroup(n)
                + " AND TRIGGER_STATE = "
                + q(STATE_WAITING))) {
      int i = bindClaims(ps, 1, names, claims);
      ps.setString(i++, schedulerName);
      ps.setString(i++, group);
      bindAmong(ps, i, names);
      return ps.executeUpdate();
    }
  }

  /** Each of {@code n} named triggers' claim, bound by {@link #bindClaims}. */
  String claimOf(int n) {
    return "CASE TRIGGER_NAME" + " WHEN ? THEN ?".repeat(n) + " END";
  }

  /** Binds {@link #claimOf} from parameter {@code index}; returns the next index. */
  int bindClaims(PreparedStatement ps, int index, List<String> names, List<String> claims)
      throws SQLException {
    for (int i = 0; i < names.size(); i++) {
      ps.setString(index++, names.get(i));
      ps.setString(index++, claims.get(i));
    }
    return index;
  }

  /** Registration's reads of {@code n} names in one group: jobs, triggers, executions. */
  String storedJobs(int n) {
    return "SELECT JOB_NAME, JOB_CLASS_NAME, DESCRIPTION, IS_DURABLE, REQUESTS_RECOVERY, JOB_DATA"
        + " FROM "
        + t("JOB_DETAILS")
        + " WHERE SCHED_NAME = ? AND JOB_GROUP = ? AND "
        + among("JOB_NAME", n);
  }

  /**
   * For runs about to be stored: which of the named jobs exist, whether each is non-concurrent, and
   * whether one of its triggers is paused (then its runs wait paused too).
   */
  String runTasks(int n) {
    return "SELECT J.JOB_NAME, J.IS_NONCONCURRENT, CASE WHEN EXISTS (SELECT 1 FROM "
        + t("TRIGGERS")
        + " T WHERE T.SCHED_NAME = J.SCHED_NAME AND T.JOB_NAME = J.JOB_NAME"
        + " AND T.JOB_GROUP = J.JOB_GROUP AND T.TRIGGER_STATE IN ("
        + q(STATE_PAUSED)
        + ", "
        + q(STATE_PAUSED_BLOCKED)
        + ")) THEN 1 ELSE 0 END FROM "
        + t("JOB_DETAILS")
        + " J WHERE J.SCHED_NAME = ? AND J.JOB_GROUP = ? AND "
        + among("J.JOB_NAME", n);
  }

  String storedTriggers(int n) {
    return "SELECT TRIGGER_NAME, TRIGGER_STATE, TRIGGER_TYPE, JOB_DATA FROM "
        + t("TRIGGERS")
        + " WHERE SCHED_NAME = ? AND TRIGGER_GROUP = ? AND "
        + among("TRIGGER_NAME", n);
  }

  String firedOfJobs(int n) {
    return "SELECT JOB_NAME, IS_NONCONCURRENT FROM "
        + t("FIRED_TRIGGERS")
        + " WHERE SCHED_NAME = ? AND JOB_GROUP = ? AND "
        + among("JOB_NAME", n);
  }

  /**
   * Due waiting triggers of {@code lane}, read whole (see {@link CapabilityAwareDelegate}), of jobs
   * whose class is none of {@code excluded} classes, with {@code lockClause} appended.
   */
  String candidates(Lane lane, int excluded, String lockClause) {
    String base =
        switch (lane) {
          case ANY -> candidatesAny;
          case FAST -> candidatesFast;
          case SLOW -> candidatesSlow;
        };
    if (excluded == 0) return base + DelegateSql.ORDER + lockClause;
    return base
        + " AND NOT EXISTS (SELECT 1 FROM "
        + t("JOB_DETAILS")
        + " X WHERE X.SCHED_NAME ="
        + " T.SCHED_NAME AND X.JOB_NAME = T.JOB_NAME AND X.JOB_GROUP = T.JOB_GROUP"
        + " AND X.JOB_CLASS_NAME IN ("
        + marks(excluded)
        + "))"
        + DelegateSql.ORDER
        + lockClause;
  }

  /** Reads {@code n} jobs of one group by name: the primary key's columns, all bound. */
  String selectJobs(int n) {
    return jobsOfGroup + among("J.JOB_NAME", n);
  }

  /** The head of a multi-row insert into one table, and how many columns a row has. */
  record RowsInsert(String table, String columns, int width) {
    String sql(int rows) {
      String one = "(" + marks(width) + ")";
      return "INSERT INTO "
          + table
          + " ("
          + columns
          + ") VALUES "
          + String.join(", ", Collections.nCopies(rows, one));
    }
  }

  /** The trigger types Baton's batched paths handle. */
  static boolean simpleOrCron(String type) {
    return TTYPE_SIMPLE.equals(type) || TTYPE_CRON.equals(type);
  }

  /** A column of the fired entry's trigger, by a correlated primary-key lookup. */
  private String ofFiredTrigger(String column) {
    return "(SELECT T."
        + column
        + " FROM "
        + t("TRIGGERS")
        + " T WHERE T.SCHED_NAME = F.SCHED_NAME"
        + " AND T.TRIGGER_NAME = F.TRIGGER_NAME AND T.TRIGGER_GROUP = F.TRIGGER_GROUP)";
  }
}
