package dev.baton.internal.database;

import dev.baton.BatonException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades Quartz's and Baton's tables with versioned Flyway migrations, one folder per
 * dialect. Safe to run from every node at every start: Flyway serialises concurrent runs with a
 * database lock, and a node that loses the race to create the history table retries.
 *
 * <p>Version 1 is Quartz's standard schema. When a stock Quartz installation's tables already exist
 * (and Baton has never migrated this database) they are adopted: Flyway baselines at version 1 and
 * only Baton's own tables are added.
 */
public final class SchemaMigrator {
  private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);
  private static final int ATTEMPTS = 3;

  private final Database database;
  private final String tablePrefix;

  public SchemaMigrator(Database database, String tablePrefix) {
    this.database = database;
    this.tablePrefix = tablePrefix;
  }

  /** The Flyway history table, one per table prefix so that several clusters can share a schema. */
  public String historyTable() {
    return tablePrefix.toLowerCase(java.util.Locale.ROOT) + "baton_schema_history";
  }

  /** Brings the schema to the latest version; returns the number of migrations applied. */
  public int migrate() {
    return migrateTo("latest");
  }

  /**
   * Brings the schema to {@code version} ("latest", or a number such as "8") and no further: how an
   * upgrade from an earlier Baton is tested. Returns the number of migrations applied.
   */
  public int migrateTo(String version) {
    FlywayException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        MigrateResult result = flyway(version).migrate();
        if (result.migrationsExecuted > 0) {
          log.info(
              "Schema migrated to version {} ({} migrations applied, table prefix {})",
              result.targetSchemaVersion,
              result.migrationsExecuted,
              tablePrefix);
        } else {
          log.info("Schema is up to date (table prefix {})", tablePrefix);
        }
        return result.migrationsExecuted;
      } catch (FlywayException e) {
        // Two nodes starting at once can both try to create the history table; the loser retries
        // and then finds the winner's work done.
        last = e;
        log.warn("Schema migration attempt {} of {} failed: {}", attempt, ATTEMPTS, e.getMessage());
        pause(200L * attempt + ThreadLocalRandom.current().nextLong(200));
      }
    }
    throw new BatonException(
        "Could not migrate Baton's schema on "
            + database.description()
            + " after "
            + ATTEMPTS
            + " attempts: "
            + last.getMessage(),
        last);
  }

  private Flyway flyway(String target) {
    boolean adoptQuartz = quartzTablesExist();
    if (adoptQuartz && !historyTableExists()) {
      log.info(
          "Found existing Quartz tables with prefix {}; adopting them (baseline at version 1)",
          tablePrefix);
    }
    return Flyway.configure(SchemaMigrator.class.getClassLoader())
        .dataSource(database.dataSource())
        .locations(database.dialect().migrationLocation())
        .table(historyTable())
        .placeholders(Map.of("prefix", tablePrefix))
        // The application's own tables may share the schema; baseline below our first version
        // (or past Quartz's, when adopting) instead of refusing a non-empty schema.
        .baselineOnMigrate(true)
        .baselineVersion(adoptQuartz ? "1" : "0")
        .baselineDescription(adoptQuartz ? "adopted existing Quartz tables" : "empty")
        .target(target)
        .load();
  }

  private boolean quartzTablesExist() {
    return tableExists(tablePrefix + "JOB_DETAILS");
  }

  private boolean historyTableExists() {
    return tableExists(historyTable());
  }

  private boolean tableExists(String table) {
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
      return true;
    } catch (SQLException absent) {
      return false;
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BatonException("Interrupted while migrating the schema", e);
    }
  }
}
