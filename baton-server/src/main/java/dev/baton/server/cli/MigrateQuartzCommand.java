package dev.baton.server.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.baton.migration.QuartzDataMigration;
import dev.baton.migration.QuartzDataMigration.Report;
import dev.baton.migration.QuartzDataMigration.StoredData;
import dev.baton.migration.QuartzDataMigration.Value;
import dev.baton.server.NodeConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code baton migrate-quartz}: lists (by default), converts ({@code --apply}) or restores ({@code
 * --rollback}) the job data a stock Quartz stored as serialized Java objects, on the database
 * itself (see {@link QuartzDataMigration}). Run it while no node of the cluster runs. Exit 1 when
 * an apply refuses, 2 on bad flags.
 */
@Command(
    name = "migrate-quartz",
    description =
        "List, convert (--apply) or restore (--rollback) job data a stock Quartz stored as"
            + " serialized Java objects. Stop every node of the cluster first.",
    mixinStandardHelpOptions = true)
public final class MigrateQuartzCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--db",
      defaultValue = "${env:BATON_DB_URL}",
      description = "JDBC URL (env BATON_DB_URL); default: H2 in the data directory")
  String db;

  @Option(
      names = "--db-user",
      defaultValue = "${env:BATON_DB_USER}",
      description = "Database user (env BATON_DB_USER)")
  String dbUser;

  @Option(
      names = "--db-password",
      defaultValue = "${env:BATON_DB_PASSWORD}",
      description = "Database password (env BATON_DB_PASSWORD)")
  String dbPassword;

  @Option(
      names = "--data-dir",
      defaultValue = "${env:BATON_DATA_DIR:-baton-data}",
      description =
          "Directory of the embedded H2 database (env BATON_DATA_DIR, default ./baton-data)")
  Path dataDir;

  @Option(
      names = "--cluster-name",
      required = true,
      description = "The Quartz scheduler name (SCHED_NAME) of the cluster, e.g. QuartzScheduler")
  String clusterName;

  @Option(
      names = "--table-prefix",
      defaultValue = "QRTZ_",
      description = "Table prefix (default QRTZ_)")
  String tablePrefix;

  @Option(
      names = "--apply",
      description = "Convert, in one transaction; nothing is written if any data is refused")
  boolean apply;

  @Option(
      names = "--skip-refused",
      description = "With --apply: convert what converts, leave refused data as it is")
  boolean skipRefused;

  @Option(names = "--rollback", description = "Put back the original bytes of every conversion")
  boolean rollback;

  @Override
  public Integer call() {
    if (apply && rollback) throw bad("--apply and --rollback exclude each other: give one");
    if (skipRefused && !apply) throw bad("--skip-refused only applies with --apply");
    if (db != null && !db.isBlank() && !db.startsWith("jdbc:")) {
      throw bad(
          "Invalid value '"
              + db
              + "' for option '--db': give a JDBC URL such as jdbc:postgresql://host/db");
    }
    QuartzDataMigration migration;
    try (HikariDataSource pool = pool()) {
      try {
        migration = new QuartzDataMigration(pool, clusterName, tablePrefix);
      } catch (IllegalArgumentException e) {
        throw bad(e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (rollback) {
        int restored = migration.rollback();
        out.printf(
            "Restored the original data of %d job(s) and trigger(s) from %s.%n",
            restored, migration.backupTable());
        out.flush();
        return 0;
      }
      Report report = apply ? migration.apply(skipRefused) : migration.scan();
      print(report, out);
      if (report.found().isEmpty()) {
        // The likeliest mistake: the wrong name (stock Quartz's default is QuartzScheduler).
        var names = migration.schedulerNames();
        if (!names.contains(clusterName)) {
          out.println(
              "No job of cluster '"
                  + clusterName
                  + "' in "
                  + tablePrefix
                  + "JOB_DETAILS; cluster names there: "
                  + (names.isEmpty() ? "none" : String.join(", ", names))
                  + ".");
        }
      }
      return conclude(report, migration, out);
    }
  }

  private HikariDataSource pool() {
    boolean embedded = db == null || db.isBlank();
    HikariConfig c = new HikariConfig();
    // The embedded database must exist already: a migration never creates an empty one.
    c.setJdbcUrl(embedded ? NodeConfig.effectiveDbUrl(null, dataDir) + ";IFEXISTS=TRUE" : db);
    c.setUsername(embedded && dbUser == null ? "sa" : dbUser);
    c.setPassword(embedded && dbPassword == null ? "" : dbPassword);
    c.setMaximumPoolSize(2);
    c.setMinimumIdle(0);
    c.setPoolName("baton-migrate-quartz");
    return new HikariDataSource(c);
  }

  private void print(Report report, PrintWriter out) {
    long refused = report.refused().size();
    out.printf(
        "Serialized job data of cluster '%s' (table prefix %s): %d found, %d convertible, %d"
            + " refused.%n",
        clusterName, tablePrefix, report.found().size(), report.found().size() - refused, refused);
    if (report.found().isEmpty()) return;
    Table t = new Table("DATA", "KEY", "CLASS", "CONVERTS");
    for (StoredData d : report.found()) {
      if (d.values().isEmpty())
        t.row(d.describe(), "-", "-", d.convertible() ? "yes (no values)" : "NO");
      for (Value v : d.values())
        t.row(d.describe(), v.key(), v.className(), v.convertible() ? "yes" : "NO");
    }
    t.print(out);
    for (StoredData d : report.refused()) out.println("Refused: " + d.refusal());
  }

  private int conclude(Report report, QuartzDataMigration migration, PrintWriter out) {
    int code = 0;
    if (!apply) {
      out.println(
          "Dry run: nothing written. Convert with --apply (add --skip-refused to leave refused data"
              + " as it is).");
    } else if (!report.applied()) {
      spec.commandLine()
          .getErr()
          .printf(
              "Nothing written: %d job(s) or trigger(s) hold data that does not convert (listed"
                  + " above). Re-register them with string data or delete them, or pass"
                  + " --skip-refused to convert the rest and leave them as they are (never run by"
                  + " Baton).%n",
              report.refused().size());
      spec.commandLine().getErr().flush();
      code = 1;
    } else {
      out.printf(
          "Converted %d job(s) and trigger(s); the originals are kept in %s (undo with"
              + " --rollback).%n",
          report.converted(), migration.backupTable());
      if (!report.refused().isEmpty()) {
        out.printf(
            "Left as they are (refused, never run by Baton): %d.%n", report.refused().size());
      }
    }
    out.flush();
    return code;
  }

  private ParameterException bad(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
