package dev.baton.internal.store;

import static dev.baton.internal.store.SchedulerSql.q;
import static org.quartz.impl.jdbcjobstore.Constants.TTYPE_BLOB;
import static org.quartz.impl.jdbcjobstore.Constants.TTYPE_CRON;
import static org.quartz.impl.jdbcjobstore.Constants.TTYPE_SIMPLE;

/**
 * The statements of Quartz's delegate as Baton changed it ({@link CapabilityAwareDelegate}), built
 * once by {@link SchedulerSql} for its table prefix; apart because each needs its reasons beside
 * it.
 */
final class DelegateSql {
  private DelegateSql() {}

  static final String ORDER = " ORDER BY T.NEXT_FIRE_TIME ASC, T.PRIORITY DESC LIMIT ?";

  // Data that is a serialized Java object (stock Quartz without useProperties=true), the
  // trigger's own or its job's, cannot be read: such triggers are never acquired, rather than
  // acquired and set to ERROR (or, for the trigger's own data, failing every acquisition). The
  // magic bytes are bound (twice), so that one SQL compares binary columns on every database.
  private static String textDataOnly(SchedulerSql s) {
    return " AND (T.JOB_DATA IS NULL OR SUBSTRING(T.JOB_DATA FROM 1 FOR 2) <> ?) AND NOT EXISTS"
        + " (SELECT 1 FROM "
        + s.t("JOB_DETAILS")
        + " D WHERE D.SCHED_NAME = T.SCHED_NAME"
        + " AND D.JOB_NAME = T.JOB_NAME AND D.JOB_GROUP = T.JOB_GROUP"
        + " AND SUBSTRING(D.JOB_DATA FROM 1 FOR 2) = ?)";
  }

  // The job class is read by a correlated lookup on the job's primary key, not by a join: with
  // a join, PostgreSQL planned a nested loop that rescanned every job of the scheduler for every
  // due trigger whenever its statistics lagged behind a bulk insert (2,000 due triggers: 2
  // million rows compared, 300 ms per acquisition under TRIGGER_ACCESS). Fire times are bound
  // as longs, not decimals, so that they are index conditions on the BIGINT column instead of
  // casts; LIMIT lets the scan stop at the page it needs.
  //
  // Each candidate comes with the whole trigger and its job's concurrency flag, so that
  // acquisition reads nothing else. Every other table is read by a correlated lookup on its
  // primary key, never joined, for the same reason as above: without statistics (a new
  // database, before autovacuum has looked) PostgreSQL joins by scanning the whole table per row.
  static String candidates(SchedulerSql s) {
    return "SELECT T.*, "
        + byJobKey(s, "JOB_CLASS_NAME", "BATON_JOB_CLASS")
        + ", "
        + byJobKey(s, "IS_NONCONCURRENT", "BATON_NONCONCURRENT")
        + ", "
        + ofType(s, TTYPE_SIMPLE, "SIMPLE_TRIGGERS", "REPEAT_COUNT")
        + ", "
        + ofType(s, TTYPE_SIMPLE, "SIMPLE_TRIGGERS", "REPEAT_INTERVAL")
        + ", "
        + ofType(s, TTYPE_SIMPLE, "SIMPLE_TRIGGERS", "TIMES_TRIGGERED")
        + ", "
        + ofType(s, TTYPE_CRON, "CRON_TRIGGERS", "CRON_EXPRESSION")
        + ", "
        + ofType(s, TTYPE_CRON, "CRON_TRIGGERS", "TIME_ZONE_ID")
        + " FROM "
        + s.t("TRIGGERS")
        + " T"
        + " WHERE T.SCHED_NAME = ? AND T.TRIGGER_STATE = ? AND T.NEXT_FIRE_TIME <= ?"
        + " AND (T.MISFIRE_INSTR = -1 OR (T.MISFIRE_INSTR <> -1 AND T.NEXT_FIRE_TIME >= ?))"
        + " AND T.TRIGGER_TYPE <> "
        + q(TTYPE_BLOB)
        + " AND T.CALENDAR_NAME IS NULL"
        + textDataOnly(s);
  }

  // Quartz's misfire select, restricted the same way: rewriting a misfired trigger reads its
  // data and its job's. Quartz logs the failure and moves on, but such a trigger stays misfired
  // and first in line, so twenty of them would fill every pass and starve the readable ones.
  static String misfiredInState(SchedulerSql s) {
    return "SELECT T.TRIGGER_NAME, T.TRIGGER_GROUP FROM "
        + s.t("TRIGGERS")
        + " T"
        + " WHERE T.SCHED_NAME = ? AND NOT (T.MISFIRE_INSTR = -1) AND T.NEXT_FIRE_TIME < ?"
        + " AND T.TRIGGER_STATE = ?"
        + textDataOnly(s)
        + " ORDER BY T.NEXT_FIRE_TIME ASC, T.PRIORITY DESC";
  }

  // The fast lane: simple and cron triggers without a calendar whose job allows concurrent
  // execution and keeps no data, derived from the rows at every look, never stored, so that no
  // write by any node (of any version) can leave a trigger in the wrong lane.
  static String fastLane(SchedulerSql s) {
    return "T.TRIGGER_TYPE IN ("
        + q(TTYPE_SIMPLE)
        + ", "
        + q(TTYPE_CRON)
        + ")"
        + " AND T.CALENDAR_NAME IS NULL AND EXISTS (SELECT 1 FROM "
        + s.t("JOB_DETAILS")
        + " L"
        + " WHERE L.SCHED_NAME = T.SCHED_NAME AND L.JOB_NAME = T.JOB_NAME"
        + " AND L.JOB_GROUP = T.JOB_GROUP AND L.IS_NONCONCURRENT = ? AND L.IS_UPDATE_DATA = ?)";
  }

  private static String byJobKey(SchedulerSql s, String column, String alias) {
    return "(SELECT J."
        + column
        + " FROM "
        + s.t("JOB_DETAILS")
        + " J"
        + " WHERE J.SCHED_NAME = T.SCHED_NAME AND J.JOB_NAME = T.JOB_NAME"
        + " AND J.JOB_GROUP = T.JOB_GROUP) AS "
        + alias;
  }

  /** A column of a trigger type's own table, looked up only for triggers of that type. */
  private static String ofType(SchedulerSql s, String type, String table, String column) {
    return "CASE WHEN T.TRIGGER_TYPE = "
        + q(type)
        + " THEN (SELECT X."
        + column
        + " FROM "
        + s.t(table)
        + " X WHERE X.SCHED_NAME = T.SCHED_NAME AND X.TRIGGER_NAME = T.TRIGGER_NAME"
        + " AND X.TRIGGER_GROUP = T.TRIGGER_GROUP) END AS "
        + column;
  }
}
