package dev.baton.locks;

import dev.baton.internal.database.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide named locks with leases and fencing tokens, kept in the {@code <prefix>BATON_LOCKS}
 * table of the application's database. One instance per node: {@code Baton.locks()}, or standalone
 * through {@link #builder(DataSource)}.
 *
 * <pre>{@code
 * String report = locks.withLock("billing", LockOptions.lease(Duration.ofSeconds(30)),
 *     lock -> billing.run(lock.fencingToken()));
 * }</pre>
 *
 * <p>Leases are measured by the database clock. A holder whose lease runs out (crash, kill -9, a
 * pause longer than the lease) loses the lock to the next acquirer, who gets a higher fencing
 * token. Locks are not re-entrant: a thread asking again for a lock it holds here gets {@link
 * LockReentryException} at once. On PostgreSQL waiters are woken by LISTEN/NOTIFY; elsewhere (and
 * whenever the listener is down) they poll with exponential backoff and jitter.
 *
 * <p>Its length is the lock API itself (try, wait, run-with, holder queries, observers) over one
 * JDBC runner; the SQL is in {@code LockSql}, the renewal in {@link LeaseRenewal}.
 */
public final class ClusterLocks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterLocks.class);
  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long POLL_CAP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final long NOTIFIED_CAP_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final DataSource dataSource;
  private final String nodeId;
  private final LockSql sql;
  private final Duration retention;
  private final Wakeups wakeups = new Wakeups();

  /**
   * PostgreSQL only, started at the first wait so that nodes that never wait hold no connection.
   */
  private volatile PgNotificationListener listener;

  private final ScheduledExecutorService renewer;

  /** Locks acquired through this instance and not yet released, for re-entry checks and close(). */
  private final ConcurrentHashMap<String, ClusterLock> heldHere = new ConcurrentHashMap<>();

  private volatile boolean closed;
  private final List<LockObserver> observers = new CopyOnWriteArrayList<>();

  ClusterLocks(Database database, String nodeId, String tablePrefix, Duration retention) {
    this.dataSource = database.dataSource();
    this.nodeId = nodeId;
    this.sql = LockSql.of(database.dialect(), tablePrefix);
    this.retention = retention;
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "baton-" + nodeId + "-lock-renewer");
              t.setDaemon(true);
              return t;
            });
    long purgeMinutes = 10;
    renewer.scheduleWithFixedDelay(this::purgeQuietly, 1, purgeMinutes, TimeUnit.MINUTES);
  }

  /**
   * Starts the PostgreSQL listener if this is PostgreSQL and it is not running; true if it runs.
   */
  private synchronized boolean listening() {
    if (!(sql instanceof PostgresLockSql pg) || closed) return false;
    if (listener == null) {
      listener = new PgNotificationListener(dataSource, pg.channel(), wakeups, nodeId);
      listener.start();
    }
    return true;
  }

  /**
   * Standalone locks on {@code dataSource}, without the scheduler; see {@link ClusterLocksBuilder}.
   */
  public static ClusterLocksBuilder builder(DataSource dataSource) {
    return new ClusterLocksBuilder(dataSource);
  }

  /**
   * Checks a lock name: non-blank, at most 190 characters, no control characters.
   *
   * @throws InvalidLockArgumentException naming the value and the fix
   */
  public static String validateName(String name) {
    return LockArguments.checkName(name);
  }

  /** This node's id, written as the owner of every lock it takes. */
  public String nodeId() {
    return nodeId;
  }

  /**
   * Takes the lock if it is free, in one statement; empty if someone else holds it.
   *
   * @throws LockReentryException if the calling thread already holds it through this instance
   */
  public Optional<ClusterLock> tryAcquire(String name, Duration lease) {
    LockArguments.checkName(name);
    LockArguments.checkLease(name, lease);
    checkUsable(name);
    long start = startObserving(name);
    ClusterLock lock;
    try {
      lock = attempt(name, lease);
    } catch (RuntimeException e) {
      observeFailure(name, e);
      throw e;
    }
    observeOutcome(name, lock, start);
    return Optional.ofNullable(lock);
  }

  /** Adds an observer of this node's acquisitions and releases (metrics). */
  public void observe(LockObserver observer) {
    observers.add(Objects.requireNonNull(observer, "observer"));
  }

  /** Tells the observers an acquisition begins; returns its start, in nanoseconds. */
  private long startObserving(String name) {
    if (!observers.isEmpty()) notifyObservers(o -> o.acquiring(name));
    return System.nanoTime();
  }

  private void observeFailure(String name, RuntimeException error) {
    if (!observers.isEmpty()) notifyObservers(o -> o.failed(name, error));
  }

  private void observeOutcome(String name, ClusterLock lock, long start) {
    if (observers.isEmpty()) return;
    Duration waited = Duration.ofNanos(System.nanoTime() - start);
    notifyObservers(
        o -> {
          if (lock != null) o.acquired(name, lock.fencingToken(), waited);
          else o.busy(name, waited);
        });
  }

  private void notifyObservers(Consumer<LockObserver> call) {
    for (LockObserver o : observers) {
      try {
        call.accept(o);
      } catch (RuntimeException e) {
        log.warn("Lock observer {} failed on node {}: {}", o, nodeId, e.toString());
      }
    }
  }

  /**
   * Takes the lock, waiting up to {@code maxWait} with exponential backoff and jitter (woken early
   * by releases on this node and, on PostgreSQL, on any node).
   *
   * @throws LockTimeoutException naming the holder when the wait ran out
   */
  public ClusterLock acquire(String name, Duration lease, Duration maxWait) {
    LockArguments.checkName(name);
    LockArguments.checkLease(name, lease);
    LockArguments.checkMaxWait(name, maxWait);
    checkUsable(name);
    long start = startObserving(name);
    ClusterLock first;
    try {
      first = attempt(name, lease);
    } catch (RuntimeException e) {
      observeFailure(name, e);
      throw e;
    }
    if (first != null) {
      observeOutcome(name, first, start);
      return first;
    }
    // Registered before the next attempt: a release committed after this sees the waiter.
    boolean registered = !maxWait.isZero() && listening() && registerWaiter(name, 1);
    try {
      ClusterLock lock = await(name, lease, maxWait, start);
      observeOutcome(name, lock, start);
      return lock;
    } catch (LockTimeoutException e) {
      observeOutcome(name, null, start);
      throw e;
    } catch (RuntimeException e) {
      observeFailure(name, e);
      throw e;
    } finally {
      if (registered) registerWaiter(name, -1);
    }
  }

  private boolean registerWaiter(String name, int delta) {
    try {
      run(
          name,
          "register a waiter for",
          c -> {
            sql.addWaiter(c, name, delta);
            return null;
          });
      return true;
    } catch (LockException e) {
      // Only costs wake-ups: waiting falls back to polling.
      log.warn(
          "Node {} could not {} as a waiter for lock '{}': {}",
          nodeId,
          delta > 0 ? "register" : "unregister",
          name,
          e.getMessage());
      return false;
    }
  }

  private ClusterLock await(String name, Duration lease, Duration maxWait, long start) {
    long backoff = FIRST_BACKOFF_NANOS;
    while (true) {
      long seen = wakeups.generation();
      ClusterLock lock = attempt(name, lease);
      if (lock != null) return lock;
      long left = maxWait.toNanos() - (System.nanoTime() - start);
      if (left <= 0) throw new LockTimeoutException(name, maxWait, holder(name).orElse(null));
      long pause =
          Math.min(left, backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
      PgNotificationListener l = listener;
      long cap = l != null && l.listening() ? NOTIFIED_CAP_NANOS : POLL_CAP_NANOS;
      backoff = Math.min(backoff * 2, cap);
      try {
        wakeups.await(seen, pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LockException(name, "Interrupted while waiting for lock '" + name + "'", e);
      }
      if (closed) checkUsable(name);
    }
  }

  /**
   * Runs {@code body} holding the lock, renewing the lease in the background, and always releases
   * it. Returns what the body returns. If the lease was lost while the body ran, the loss is
   * logged, {@link LockOptions#onLost} is called (and the body's thread interrupted, if asked) when
   * it is found, and after the body returns this throws the {@link LockLostException}: the body's
   * work was not fully protected.
   *
   * @throws LockTimeoutException when the lock stayed busy for {@link LockOptions#maxWait()}
   */
  public <T, E extends Exception> T withLock(
      String name, LockOptions options, LockedBody<T, E> body) throws E {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(body, "body");
    ClusterLock lock =
        options.maxWait().isZero()
            ? tryAcquire(name, options.lease())
                .orElseThrow(
                    () -> new LockTimeoutException(name, Duration.ZERO, holder(name).orElse(null)))
            : acquire(name, options.lease(), options.maxWait());
    LeaseRenewal renewal =
        keepRenewed(
            lock,
            options.renewEvery(),
            options.onLost(),
            options.interruptOnLoss() ? Thread.currentThread() : null);
    T result;
    try {
      result = body.run(lock);
    } catch (Throwable t) {
      renewal.stop();
      try {
        lock.release();
      } catch (RuntimeException releaseFailure) {
        t.addSuppressed(releaseFailure);
      }
      if (lock.lost() != null) t.addSuppressed(lock.lost());
      throw t;
    }
    renewal.stop();
    lock.release();
    if (lock.lost() != null) throw lock.lost();
    return result;
  }

  /** Every lock held in the cluster now (unexpired lease), by name; for the admin API. */
  public List<LockInfo> held() {
    return run(null, "list held locks", sql::held);
  }

  /** Who holds {@code name} now, if anyone. */
  public Optional<LockInfo> holder(String name) {
    LockArguments.checkName(name);
    return run(name, "read the holder of", c -> sql.holder(c, name));
  }

  /**
   * Ends the current holder's lease at once (administration; logged) and returns who held it. The
   * holder finds out at its next renewal or release; its token stays below the next holder's. It is
   * the holder's own release, fenced by its token, so a holder that took over in between is never
   * ended by mistake. Empty if nobody held it, or it changed hands meanwhile (ask again).
   */
  public Optional<LockInfo> forceRelease(String name) {
    Optional<LockInfo> held = holder(name);
    if (held.isEmpty()) return held;
    LockInfo h = held.get();
    int rows =
        run(name, "force-release", c -> sql.release(c, name, h.ownerNode(), h.fencingToken()));
    if (rows > 1) throw unexpected(name, "force-release", rows);
    if (rows == 0) return Optional.empty();
    wakeups.wakeAll();
    log.warn(
        "Lock '{}' force-released by node {} (was held by node {}, thread '{}', token {})",
        name,
        nodeId,
        h.ownerNode(),
        h.ownerThread(),
        h.fencingToken());
    return held;
  }

  /**
   * Deletes lock rows whose lease ran out longer than the retention ago; runs every 10 minutes by
   * itself. Returns the number deleted.
   */
  public int purgeExpired() {
    return run(null, "purge expired lock rows", c -> sql.purge(c, LockArguments.micros(retention)));
  }

  /** Releases every lock this instance still holds, stops renewal and the listener. Idempotent. */
  @Override
  public void close() {
    close(true);
  }

  /**
   * Stops renewal and the listener; with {@code releaseHeld} false the locks still held are not
   * released but left to run out their lease (for holders that may still be running).
   */
  public void close(boolean releaseHeld) {
    if (closed) return;
    closed = true;
    for (ClusterLock lock : releaseHeld ? List.copyOf(heldHere.values()) : List.<ClusterLock>of()) {
      try {
        if (lock.release())
          log.info(
              "Released lock '{}' (token {}) of node {} at close",
              lock.name(),
              lock.fencingToken(),
              nodeId);
      } catch (RuntimeException e) {
        log.warn(
            "Could not release lock '{}' (token {}) of node {} at close; its lease will run out:"
                + " {}",
            lock.name(),
            lock.fencingToken(),
            nodeId,
            e.toString());
      }
    }
    renewer.shutdownNow();
    synchronized (this) {
      if (listener != null) listener.close();
    }
    wakeups.wakeAll();
  }

  /** Renews {@code lock} every {@code interval} until stopped; see {@link LeaseRenewal}. */
  LeaseRenewal keepRenewed(
      ClusterLock lock,
      Duration interval,
      java.util.function.Consumer<LockLostException> onLost,
      Thread interrupt) {
    return new LeaseRenewal(renewer, lock, interval.toNanos(), onLost, interrupt);
  }

  private ClusterLock attempt(String name, Duration lease) {
    Thread me = Thread.currentThread();
    long asked = System.nanoTime();
    long token =
        run(
            name,
            "acquire",
            c -> {
              try {
                return sql.acquire(c, name, nodeId, threadName(me), LockArguments.micros(lease));
              } catch (SQLException e) {
                if (sql.lostInsertRace(e)) return -1L;
                throw e;
              }
            });
    if (token < 0) return null;
    ClusterLock lock = new ClusterLock(this, name, token, lease, me, asked);
    heldHere.put(name, lock);
    return lock;
  }

  boolean renew(ClusterLock lock, Duration lease) {
    int rows =
        run(
            lock.name(),
            "renew",
            c ->
                sql.renew(
                    c, lock.name(), nodeId, lock.fencingToken(), LockArguments.micros(lease)));
    if (rows > 1) throw unexpected(lock.name(), "renew", rows);
    return rows == 1;
  }

  boolean release(ClusterLock lock, boolean mayStillHold) {
    return release(lock, mayStillHold, Duration.ZERO);
  }

  /** Releases now, or with {@code keep} positive lets the lease end {@code keep} from now. */
  boolean release(ClusterLock lock, boolean mayStillHold, Duration keep) {
    heldHere.remove(lock.name(), lock);
    boolean now = keep.isZero();
    int rows =
        !mayStillHold
            ? 0
            : now
                ? run(
                    lock.name(),
                    "release",
                    c -> sql.release(c, lock.name(), nodeId, lock.fencingToken()))
                : run(
                    lock.name(),
                    "release (kept for " + keep + ")",
                    c ->
                        sql.renew(
                            c,
                            lock.name(),
                            nodeId,
                            lock.fencingToken(),
                            LockArguments.micros(keep)));
    if (rows > 1) throw unexpected(lock.name(), "release", rows);
    if (now) wakeups.wakeAll();
    if (!observers.isEmpty()) {
      Duration held = Duration.ofNanos(System.nanoTime() - lock.acquiredAtNanos());
      notifyObservers(o -> o.released(lock.name(), lock.fencingToken(), held));
    }
    if (rows == 0) {
      log.warn(
          "Release of lock '{}' (token {}) by node {} found it no longer held: its lease had run"
              + " out, or it was taken over or force-released",
          lock.name(),
          lock.fencingToken(),
          nodeId);
    }
    return rows == 1;
  }

  boolean isHeld(ClusterLock lock) {
    return run(lock.name(), "check", c -> sql.isHeld(c, lock.name(), nodeId, lock.fencingToken()));
  }

  LockLostException lostException(ClusterLock lock, String what) {
    LockInfo now = null;
    try {
      now = holder(lock.name()).orElse(null);
    } catch (RuntimeException e) {
      log.debug("Could not read the holder of lock '{}' after losing it", lock.name(), e);
    }
    return new LockLostException(lock.name(), lock.fencingToken(), nodeId, now, what);
  }

  private void checkUsable(String name) {
    if (closed) {
      throw new LockException(
          name,
          "ClusterLocks of node "
              + nodeId
              + " is closed; lock '"
              + name
              + "' cannot be taken. Use the node's current ClusterLocks.");
    }
    ClusterLock mine = heldHere.get(name);
    if (mine != null && mine.owner() == Thread.currentThread() && mine.believedHeld()) {
      throw new LockReentryException(name, mine.fencingToken(), nodeId, mine.owner().getName());
    }
  }

  private void purgeQuietly() {
    try {
      int n = purgeExpired();
      if (n > 0) log.info("Deleted {} lock row(s) expired for more than {}", n, retention);
    } catch (Throwable e) {
      // Must not kill the periodic task; the next run retries.
      log.warn("Node {} could not purge expired lock rows: {}", nodeId, e.toString());
    }
  }

  private static String threadName(Thread t) {
    String n = t.getName();
    return n.length() > 200 ? n.substring(0, 200) : n;
  }

  private LockException unexpected(String name, String what, int rows) {
    return new LockException(
        name,
        "Lock '"
            + name
            + "': "
            + what
            + " changed "
            + rows
            + " rows where at most 1 can match; is LOCK_NAME still the primary key of "
            + sql.table
            + "?");
  }

  private interface SqlCall<T> {
    T call(Connection c) throws SQLException;
  }

  private <T> T run(String name, String what, SqlCall<T> call) {
    try (Connection c = dataSource.getConnection()) {
      if (!c.getAutoCommit()) c.setAutoCommit(true);
      return call.call(c);
    } catch (SQLException e) {
      String subject = name == null ? "" : " lock '" + name + "'";
      throw new LockException(
          name,
          "Could not "
              + what
              + subject
              + " on node "
              + nodeId
              + ": "
              + e.getMessage()
              + " (SQLState "
              + e.getSQLState()
              + "). Check that the database is"
              + " reachable and that "
              + sql.table
              + " exists (Baton's migrations create it).",
          e);
    }
  }
}
