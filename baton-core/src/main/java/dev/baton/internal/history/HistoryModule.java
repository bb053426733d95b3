package dev.baton.internal.history;

import dev.baton.BatonSettings;
import dev.baton.history.ExecutionHistory;
import dev.baton.internal.ClusterScheduler;
import java.sql.PreparedStatement;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution-history capability of one node, wired into its scheduler by {@code NodeStartup}:
 * recording (a job listener and an asynchronous writer), marking a dead node's running entries
 * abandoned, and the retention clean-up task. Applications use {@code Baton.history()}.
 */
public final class HistoryModule {
  private static final Logger log = LoggerFactory.getLogger(HistoryModule.class);

  /** How long {@link #close()} waits for the writer to write what is queued. */
  private static final long CLOSE_MILLIS = 30_000;

  private static final Duration CLEANUP_EVERY = Duration.ofHours(1);

  private final ClusterScheduler scheduler;
  private final HistoryWriter writer;
  private final ExecutionHistory history;

  private HistoryModule(
      ClusterScheduler scheduler, HistoryWriter writer, ExecutionHistory history) {
    this.scheduler = scheduler;
    this.writer = writer;
    this.history = history;
  }

  /**
   * Wires history into a scheduler that has not started yet. A node that does not record its
   * executions ({@link BatonSettings#history()} false) still marks dead nodes' entries and runs the
   * clean-up.
   */
  public static HistoryModule install(ClusterScheduler scheduler, BatonSettings settings) {
    DataSource dataSource = settings.dataSource();
    String cluster = settings.clusterName();
    String nodeId = settings.nodeId();
    HistorySql sql = new HistorySql(settings.tablePrefix());
    HistoryWriter writer =
        settings.history() ? new HistoryWriter(dataSource, sql, cluster, nodeId) : null;
    if (writer != null) {
      HistoryRecorder recorder = new HistoryRecorder(writer, nodeId, scheduler.clock()::now);
      scheduler.addJobListener(recorder);
      scheduler.transactionalJobs().addParticipant(recorder::committing);
    }
    scheduler.addNodeDeathListener(
        (conn, dead) -> {
          try (PreparedStatement ps = conn.prepareStatement(sql.abandon)) {
            for (String node : dead) {
              ps.setString(1, cluster);
              ps.setString(2, node);
              int n = ps.executeUpdate();
              if (n > 0) {
                log.warn(
                    "Node {} declared dead by {}: {} running execution(s) marked ABANDONED",
                    node,
                    nodeId,
                    n);
              }
            }
          }
        });
    scheduler.putInContext(
        HistoryRetention.CONTEXT_KEY,
        new HistoryRetention(
            dataSource, sql, cluster, settings.historyRetention(), settings.historyMaxRows()));
    return new HistoryModule(
        scheduler, writer, new JdbcExecutionHistory(dataSource, sql, cluster, writer));
  }

  /** Registers the hourly clean-up task (unchanged registrations write nothing). */
  public void registerTasks() {
    scheduler.registerBatonTask("history-cleanup", CLEANUP_EVERY, HistoryCleanupJob.class);
  }

  /** The query side. */
  public ExecutionHistory history() {
    return history;
  }

  /**
   * Writes every queued entry and stops the writer. Call once the scheduler has drained, so that
   * every execution's end has been queued.
   */
  public void close() {
    if (writer != null) writer.close(CLOSE_MILLIS);
  }
}
