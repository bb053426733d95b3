package dev.baton.server;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.Baton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node can do its work: its database answers and its scheduler is running. A
 * background probe checks the database every {@code interval} (a connection from the node's pool
 * and {@link Connection#isValid} with a short timeout), so that {@link #report()} reads only memory
 * and answers at once even while the database hangs. The database counts as unreachable once the
 * last successful check is older than {@code staleAfter}.
 */
public final class NodeHealth implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeHealth.class);

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(3);
  private static final int VALID_TIMEOUT_SECONDS = 2;

  /** What the scheduler is doing, as far as this node can tell without the database. */
  public enum SchedulerState {
    STARTED,
    /** Not acquiring triggers, and the node was not asked to stop. */
    STANDBY,
    /** The node is stopping: no new firings, running executions are draining. */
    SHUTTING_DOWN,
    SHUT_DOWN
  }

  /**
   * One answer.
   *
   * @param up whether the node is healthy
   * @param reason why it is not, naming what failed; null when up
   * @param scheduler the scheduler's state
   * @param databaseUp whether the last successful database check is recent enough
   * @param lastContact when the database last answered (the node's start until the first check)
   * @param lastContactAge how long ago that was
   * @param databaseError the last check's failure, or null when it succeeded
   */
  public record Report(
      boolean up,
      String reason,
      SchedulerState scheduler,
      boolean databaseUp,
      Instant lastContact,
      Duration lastContactAge,
      String databaseError) {}

  /** The probe's last results; written by the probe thread only. */
  private record Probe(
      long successNanos, Instant successAt, String error, long attemptStartedNanos) {}

  private final Baton baton;
  private final DataSource database;
  private final Duration interval;
  private final Duration staleAfter;
  private final ScheduledExecutorService prober;
  private volatile Probe probe;
  private volatile boolean stopping;
  private volatile boolean shutDown;

  public NodeHealth(Baton baton, DataSource database, Duration interval, Duration staleAfter) {
    if (staleAfter.compareTo(interval) <= 0) {
      throw new IllegalArgumentException(
          "staleAfter (" + staleAfter + ") must be longer than the interval (" + interval + ")");
    }
    this.baton = baton;
    this.database = database;
    this.interval = interval;
    this.staleAfter = staleAfter;
    // The node has just started, which needed the database.
    this.probe = new Probe(System.nanoTime(), Instant.now(), null, 0);
    this.prober =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "baton-server-health");
              t.setDaemon(true);
              return t;
            });
    baton.whenStopped(() -> shutDown = true);
  }

  /** Starts the background database check. */
  public NodeHealth start() {
    prober.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** The node has begun to stop: from now on it reports DOWN. */
  public void stopping() {
    stopping = true;
  }

  /** The current state, from memory only: never waits for the database. */
  public Report report() {
    SchedulerState scheduler = schedulerState();
    Probe p = probe;
    long now = System.nanoTime();
    Duration age = Duration.ofNanos(now - p.successNanos());
    boolean databaseUp = age.compareTo(staleAfter) <= 0;
    List<String> reasons = new ArrayList<>();
    if (!databaseUp) {
      String why;
      if (p.error() != null) why = p.error();
      else if (p.attemptStartedNanos() != 0)
        why =
            "no answer to a check running for "
                + seconds(Duration.ofNanos(now - p.attemptStartedNanos()));
      else why = "no successful check";
      reasons.add("database unreachable for " + seconds(age) + ": " + why);
    }
    switch (scheduler) {
      case STARTED -> {}
      case STANDBY -> reasons.add("scheduler in standby: not acquiring triggers");
      case SHUTTING_DOWN -> reasons.add("node shutting down: draining running executions");
      case SHUT_DOWN -> reasons.add("scheduler shut down");
    }
    return new Report(
        reasons.isEmpty(),
        reasons.isEmpty() ? null : String.join("; ", reasons),
        scheduler,
        databaseUp,
        p.successAt(),
        age,
        p.error());
  }

  private SchedulerState schedulerState() {
    if (shutDown) return SchedulerState.SHUT_DOWN;
    if (stopping) return SchedulerState.SHUTTING_DOWN;
    try {
      return baton.isRunning() ? SchedulerState.STARTED : SchedulerState.STANDBY;
    } catch (RuntimeException e) {
      return SchedulerState.STANDBY;
    }
  }

  /** One database check; runs on the probe thread only. */
  private void check() {
    Probe before = probe;
    probe = new Probe(before.successNanos(), before.successAt(), before.error(), System.nanoTime());
    String error = null;
    try (Connection c = database.getConnection()) {
      if (!c.isValid(VALID_TIMEOUT_SECONDS)) {
        error = "no answer to a validity check within " + VALID_TIMEOUT_SECONDS + " s";
        // Its protocol state is unknown now: never hand it to anyone else.
        if (database instanceof HikariDataSource pool) pool.evictConnection(c);
      }
    } catch (SQLException | RuntimeException e) {
      error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    if (error == null) {
      if (before.error() != null) log.info("Database reachable again");
      probe = new Probe(System.nanoTime(), Instant.now(), null, 0);
    } else {
      if (before.error() == null) log.warn("Database check failed: {}", error);
      probe = new Probe(before.successNanos(), before.successAt(), error, 0);
    }
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  /** Stops the probe; a check under way is interrupted. */
  @Override
  public void close() {
    prober.shutdownNow();
  }
}
