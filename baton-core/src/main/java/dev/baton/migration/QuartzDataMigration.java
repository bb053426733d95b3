package dev.baton.migration;

import dev.baton.BatonException;
import dev.baton.internal.JobData;
import dev.baton.internal.database.Database;
import dev.baton.internal.database.SchemaMigrator;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Converts the job data a stock Quartz stored as serialized Java objects (its default, {@code
 * useProperties=false}) to the properties text Baton reads, which is what stock Quartz itself
 * writes with {@code useProperties=true}. Baton never acquires a trigger whose or whose job's data
 * is serialized; after the conversion it runs them, and {@code JobDataMap.getInt}, {@code getLong},
 * {@code getBoolean}, … parse the text values.
 *
 * <ul>
 *   <li>{@link #scan()} lists every job and trigger of the cluster whose data is serialized, with
 *       each key, its value's class and whether it converts. It writes nothing.
 *   <li>{@link #apply(boolean)} converts, in one transaction under Quartz's {@code TRIGGER_ACCESS}
 *       lock, keeping the original bytes in {@code <prefix>BATON_JOB_DATA_BACKUP}. Strings, boxed
 *       primitives, {@code BigDecimal} and {@code BigInteger} convert; anything else (a {@code
 *       Date}, an enum, a collection, an application class) is refused, and then nothing is written
 *       unless refused data is to be skipped (left as it is). A second run finds nothing to do.
 *   <li>{@link #rollback()} puts the backed-up bytes back.
 * </ul>
 *
 * <p>Serialized data is read only through {@link SerializedJobData}'s allow-list and JEP 290
 * filter: a refused class is never loaded or instantiated. Run it while no node (stock or Baton) of
 * the cluster runs.
 *
 * <p>Scan, apply and rollback are one class: they share the row walk, the lock and the backup
 * table, and apply must never write what scan would not list.
 */
public final class QuartzDataMigration {
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,19}");

  /** Whether stored data belongs to a job or to one of its triggers. */
  public enum Kind {
    JOB,
    TRIGGER
  }

  /**
   * One value of serialized data.
   *
   * @param key its key
   * @param className its class, {@code null} for a null value
   * @param convertible whether it converts to text
   */
  public record Value(String key, String className, boolean convertible) {}

  /**
   * A job's or a trigger's data that is a serialized Java object.
   *
   * @param kind job or trigger
   * @param group its group
   * @param name its name
   * @param values the values read; for refused data every key with its value's class, the refused
   *     ones among them (or, when the data's structure could not be walked, the refused value whose
   *     key is known)
   * @param refusal why it does not convert; null when it does
   */
  public record StoredData(
      Kind kind, String group, String name, List<Value> values, String refusal) {
    /** Whether every value converts. */
    public boolean convertible() {
      return refusal == null;
    }

    /** {@code job GROUP.NAME} or {@code trigger GROUP.NAME}. */
    public String describe() {
      return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + group + "." + name;
    }
  }

  /**
   * What a scan found, and what an apply did.
   *
   * @param found every job's and trigger's data of the cluster that is serialized, jobs first
   * @param converted how many of them were converted (0 for a scan, or an apply that refused)
   * @param applied whether an apply wrote its conversions (false for a scan, or when it refused)
   */
  public record Report(List<StoredData> found, int converted, boolean applied) {
    /** The data that does not convert. */
    public List<StoredData> refused() {
      return found.stream().filter(d -> !d.convertible()).toList();
    }
  }

  private final DataSource dataSource;
  private final String cluster;
  private final String prefix;

  /**
   * A migration of one cluster's data; nothing is read or written until a method is called.
   *
   * @param dataSource the cluster's database
   * @param clusterName the Quartz scheduler name ({@code SCHED_NAME}) of the cluster
   * @param tablePrefix the table prefix, {@code QRTZ_} by default
   */
  public QuartzDataMigration(DataSource dataSource, String clusterName, String tablePrefix) {
    if (dataSource == null)
      throw new IllegalArgumentException("dataSource: pass the cluster's DataSource");
    if (clusterName == null || clusterName.isBlank() || clusterName.length() > 120) {
      throw new IllegalArgumentException(
          "clusterName '" + clusterName + "': give the scheduler name, 1 to 120 characters");
    }
    if (tablePrefix == null || !PREFIX.matcher(tablePrefix).matches()) {
      throw new IllegalArgumentException(
          "tablePrefix '" + tablePrefix + "': use a letter then up to 19 letters, digits or '_'");
    }
    this.dataSource = dataSource;
    this.cluster = clusterName;
    this.prefix = tablePrefix;
  }

  /** The backup table of original bytes. */
  public String backupTable() {
    return prefix + "BATON_JOB_DATA_BACKUP";
  }

  /** Lists the cluster's serialized data and whether it converts; writes nothing. */
  public Report scan() {
    try (Connection c = dataSource.getConnection()) {
      return new Report(describe(find(c)), 0, false);
    } catch (SQLException e) {
      throw new BatonException(
          "Could not read the job data of cluster '" + cluster + "': " + e.getMessage(), e);
    }
  }

  /**
   * The scheduler names ({@code SCHED_NAME}) that have jobs in these tables, to tell a caller who
   * found nothing which cluster names exist.
   */
  public List<String> schedulerNames() {
    List<String> names = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT DISTINCT SCHED_NAME FROM " + prefix + "JOB_DETAILS ORDER BY SCHED_NAME");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) names.add(rs.getString(1));
      return names;
    } catch (SQLException e) {
      throw new BatonException(
          "Could not read the scheduler names in " + prefix + "JOB_DETAILS: " + e.getMessage(), e);
    }
  }

  /**
   * Converts the cluster's serialized data in one transaction, under {@code TRIGGER_ACCESS}, first
   * bringing the schema to Baton's latest version (for the backup table). With refused data and
   * {@code skipRefused} false, nothing is written and the report says {@code applied=false}.
   */
  public Report apply(boolean skipRefused) {
    migrateSchema();
    return inLockedTransaction(
        c -> {
          List<Found> found = find(c);
          List<StoredData> described = describe(found);
          boolean anyRefused = described.stream().anyMatch(d -> !d.convertible());
          if (anyRefused && !skipRefused) return new Report(described, 0, false);
          long now = System.currentTimeMillis();
          int converted = 0;
          for (Found f : found) {
            if (f.text == null) continue;
            backup(c, f, now);
            write(c, f.data.kind(), f.data.group(), f.data.name(), f.text);
            converted++;
          }
          return new Report(described, converted, true);
        });
  }

  /**
   * Puts back the original bytes of every conversion of this cluster and empties its backup, in one
   * transaction under {@code TRIGGER_ACCESS}; returns how many jobs' and triggers' data was
   * restored (those deleted since are skipped). Data changed since its conversion is overwritten.
   */
  public int rollback() {
    migrateSchema();
    return inLockedTransaction(
        c -> {
          int restored = 0;
          String select =
              "SELECT DATA_KIND, ENTRY_GROUP, ENTRY_NAME, ORIGINAL_DATA FROM "
                  + backupTable()
                  + " WHERE SCHED_NAME = ?";
          try (PreparedStatement ps = c.prepareStatement(select)) {
            ps.setString(1, cluster);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                restored +=
                    write(
                        c,
                        Kind.valueOf(rs.getString(1)),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getBytes(4));
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM " + backupTable() + " WHERE SCHED_NAME = ?")) {
            ps.setString(1, cluster);
            ps.executeUpdate();
          }
          return restored;
        });
  }

  /**
   * Brings the schema to Baton's latest version, as a starting node would, but only over existing
   * Quartz tables: a wrong URL or prefix must not create an empty installation.
   */
  private void migrateSchema() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT 1 FROM " + prefix + "JOB_DETAILS WHERE 1 = 0")) {
      ps.executeQuery().close();
    } catch (SQLException e) {
      throw new BatonException(
          "No Quartz tables with prefix "
              + prefix
              + " in this database ("
              + e.getMessage()
              + "): check the JDBC URL and the table prefix",
          e);
    }
    new SchemaMigrator(Database.connect(dataSource, Duration.ofSeconds(30)), prefix).migrate();
  }

  /** Serialized data as found: its description, its bytes and, when it converts, its text. */
  private record Found(StoredData data, byte[] original, byte[] text) {}

  private List<Found> find(Connection c) throws SQLException {
    List<Found> out = new ArrayList<>();
    find(c, Kind.JOB, "SELECT JOB_GROUP, JOB_NAME, JOB_DATA FROM " + prefix + "JOB_DETAILS", out);
    find(
        c,
        Kind.TRIGGER,
        "SELECT TRIGGER_GROUP, TRIGGER_NAME, JOB_DATA FROM " + prefix + "TRIGGERS",
        out);
    return out;
  }

  private void find(Connection c, Kind kind, String select, List<Found> out) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(select + " WHERE SCHED_NAME = ? ORDER BY 1, 2")) {
      ps.setString(1, cluster);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byte[] bytes = rs.getBytes(3);
          if (JobData.isSerializedJavaObject(bytes))
            out.add(convert(kind, rs.getString(1), rs.getString(2), bytes));
        }
      }
    }
  }

  private static Found convert(Kind kind, String group, String name, byte[] bytes) {
    try {
      Map<String, Object> read = SerializedJobData.read(bytes);
      List<Value> values = new ArrayList<>();
      Map<String, String> text = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : read.entrySet()) {
        Object v = e.getValue();
        values.add(new Value(e.getKey(), v == null ? null : v.getClass().getName(), true));
        // Quartz's useProperties form: a null value is stored as an empty string.
        text.put(e.getKey(), v == null ? "" : v.toString());
      }
      return new Found(
          new StoredData(kind, group, name, List.copyOf(values), null), bytes, JobData.store(text));
    } catch (SerializedJobData.RefusedClassException e) {
      List<Value> values =
          e.listed().isEmpty()
              ? (e.key() == null ? List.of() : List.of(new Value(e.key(), e.className(), false)))
              : e.listed().stream()
                  .map(l -> new Value(l.key(), l.className(), l.convertible()))
                  .toList();
      String why =
          kind.name().toLowerCase(java.util.Locale.ROOT)
              + " "
              + group
              + "."
              + name
              + ": "
              + e.getMessage();
      return new Found(new StoredData(kind, group, name, values, why), bytes, null);
    } catch (IOException e) {
      String why =
          kind.name().toLowerCase(java.util.Locale.ROOT)
              + " "
              + group
              + "."
              + name
              + ": "
              + e.getMessage();
      return new Found(new StoredData(kind, group, name, List.of(), why), bytes, null);
    }
  }

  private static List<StoredData> describe(List<Found> found) {
    return found.stream().map(Found::data).toList();
  }

  private void backup(Connection c, Found f, long now) throws SQLException {
    // A row converted before (and serialized again by a stock node since) keeps its latest
    // original.
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM "
                + backupTable()
                + " WHERE SCHED_NAME = ? AND DATA_KIND = ? AND ENTRY_GROUP = ? AND ENTRY_NAME ="
                + " ?")) {
      ps.setString(1, cluster);
      ps.setString(2, f.data.kind().name());
      ps.setString(3, f.data.group());
      ps.setString(4, f.data.name());
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + backupTable()
                + " (SCHED_NAME, DATA_KIND, ENTRY_GROUP, ENTRY_NAME, ORIGINAL_DATA, CONVERTED_AT)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, cluster);
      ps.setString(2, f.data.kind().name());
      ps.setString(3, f.data.group());
      ps.setString(4, f.data.name());
      ps.setBytes(5, f.original);
      ps.setLong(6, now);
      ps.executeUpdate();
    }
  }

  private int write(Connection c, Kind kind, String group, String name, byte[] data)
      throws SQLException {
    String sql =
        kind == Kind.JOB
            ? "UPDATE "
                + prefix
                + "JOB_DETAILS SET JOB_DATA = ? WHERE SCHED_NAME = ? AND JOB_GROUP = ? AND JOB_NAME"
                + " = ?"
            : "UPDATE "
                + prefix
                + "TRIGGERS SET JOB_DATA = ? WHERE SCHED_NAME = ? AND TRIGGER_GROUP = ? AND"
                + " TRIGGER_NAME = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setBytes(1, data);
      ps.setString(2, cluster);
      ps.setString(3, group);
      ps.setString(4, name);
      return ps.executeUpdate();
    }
  }

  /** Work done in one transaction. */
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction that first takes Quartz's {@code TRIGGER_ACCESS} row lock.
   */
  private <T> T inLockedTransaction(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        lockTriggerAccess(c);
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new BatonException(
          "Could not convert the job data of cluster '" + cluster + "': " + e.getMessage(), e);
    }
  }

  /**
   * Quartz's own cluster lock, as its {@code StdRowLockSemaphore} takes it, inserting a missing
   * row.
   */
  private void lockTriggerAccess(Connection c) throws SQLException {
    String select =
        "SELECT LOCK_NAME FROM "
            + prefix
            + "LOCKS WHERE SCHED_NAME = ? AND LOCK_NAME = 'TRIGGER_ACCESS' FOR UPDATE";
    try (PreparedStatement ps = c.prepareStatement(select)) {
      ps.setString(1, cluster);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) return;
      }
    }
    // The inserted row is this transaction's until it ends: the lock is held all the same.
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + prefix
                + "LOCKS (SCHED_NAME, LOCK_NAME) VALUES (?, 'TRIGGER_ACCESS')")) {
      ps.setString(1, cluster);
      ps.executeUpdate();
    }
  }
}
