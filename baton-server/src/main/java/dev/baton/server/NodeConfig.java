package dev.baton.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything a node needs to start, validated by the {@code serve} command.
 *
 * @param dbUrl JDBC URL; null means the embedded H2 file database in {@code dataDir}
 * @param dbUser may be null
 * @param dbPassword may be null
 * @param nodeId null to generate one
 * @param bind address to listen on
 * @param port 0 picks a free port
 * @param pluginDir directory of job jars, may be null
 * @param threads worker threads
 * @param dataDir where the H2 database and the generated admin token live
 * @param drainTimeout how long a stop waits for running executions
 * @param adminToken the token from the environment, or null to use or generate the stored one
 * @param clusterName the cluster (Quartz {@code SCHED_NAME}) to join; a Spring Boot application's
 *     is {@code quartzScheduler} by default
 * @param tablePrefix the scheduler tables' prefix
 * @param departedRetention how long the admin API and dashboard list a departed node
 */
public record NodeConfig(
    String dbUrl,
    String dbUser,
    String dbPassword,
    String nodeId,
    String bind,
    int port,
    Path pluginDir,
    int threads,
    Path dataDir,
    Duration drainTimeout,
    String adminToken,
    String clusterName,
    String tablePrefix,
    Duration departedRetention) {

  /** Departed nodes listed for the default 24 hours. */
  public NodeConfig(
      String dbUrl,
      String dbUser,
      String dbPassword,
      String nodeId,
      String bind,
      int port,
      Path pluginDir,
      int threads,
      Path dataDir,
      Duration drainTimeout,
      String adminToken,
      String clusterName,
      String tablePrefix) {
    this(
        dbUrl,
        dbUser,
        dbPassword,
        nodeId,
        bind,
        port,
        pluginDir,
        threads,
        dataDir,
        drainTimeout,
        adminToken,
        clusterName,
        tablePrefix,
        dev.baton.server.api.AdminServer.DEFAULT_DEPARTED_RETENTION);
  }

  /** The defaults of the library: cluster {@code baton}, tables {@code QRTZ_}. */
  public NodeConfig(
      String dbUrl,
      String dbUser,
      String dbPassword,
      String nodeId,
      String bind,
      int port,
      Path pluginDir,
      int threads,
      Path dataDir,
      Duration drainTimeout,
      String adminToken) {
    this(
        dbUrl,
        dbUser,
        dbPassword,
        nodeId,
        bind,
        port,
        pluginDir,
        threads,
        dataDir,
        drainTimeout,
        adminToken,
        "baton",
        "QRTZ_");
  }

  /** The JDBC URL actually used: the given one, or H2 in the data directory. */
  public String effectiveDbUrl() {
    return effectiveDbUrl(dbUrl, dataDir);
  }

  /** The given JDBC URL, or when it is null the embedded H2 database of {@code dataDir}. */
  public static String effectiveDbUrl(String dbUrl, Path dataDir) {
    if (dbUrl != null) return dbUrl;
    return "jdbc:h2:file:" + dataDir.resolve("baton").toAbsolutePath() + ";AUTO_SERVER=FALSE";
  }

  /** Whether the database is the embedded single-node H2 one. */
  public boolean embedded() {
    return dbUrl == null;
  }
}
