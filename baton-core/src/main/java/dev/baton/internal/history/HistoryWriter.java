package dev.baton.internal.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes history rows off Quartz's worker threads. Listener callbacks put events in a bounded
 * queue; one thread takes them in batches (every {@value #FLUSH_MILLIS} ms, or at {@value
 * #MAX_BATCH} events) and writes each batch in one transaction with JDBC batches. An execution that
 * ends before its start was written is written by a single insert; otherwise its start is an insert
 * and its end an update: at most one of each per execution.
 *
 * <p>While the database cannot be reached, the batch in hand waits for it and the queue fills; when
 * the queue is full (the database is slower than the firings, or unreachable for long) a worker
 * waits up to {@value #OFFER_MILLIS} ms for room, then the event is dropped, counted and logged:
 * history must not stop the scheduler. A crash loses the events not yet written, at most about
 * {@value #FLUSH_MILLIS} ms' worth when the database keeps up. {@link #close()} writes everything
 * queued.
 */
public final class HistoryWriter {
  private static final Logger log = LoggerFactory.getLogger(HistoryWriter.class);
  static final int FLUSH_MILLIS = 150;
  static final int MAX_BATCH = 500;

  /** Rows per multi-row insert, and the characters of text past which a statement is cut short. */
  private static final int ROWS_PER_INSERT = 100;

  private static final int TEXT_PER_INSERT = 1 << 20;
  static final int CAPACITY = 20_000;
  static final int OFFER_MILLIS = 100;
  private static final int ATTEMPTS = 5;

  /** PostgreSQL: admin shutdown, crash shutdown, cannot connect now (starting up). */
  private static final Set<String> SERVER_GOING_OR_COMING = Set.of("57P01", "57P02", "57P03");

  /** How often a batch tries again while the database cannot be reached. */
  private static final long UNREACHABLE_RETRY_MILLIS = 1_000;

  /** WAKE carries no row: it wakes the writer at close. */
  private enum Kind {
    START,
    END,
    SINGLE,
    WAKE
  }

  private static final Event WAKE = new Event(Kind.WAKE, null);

  private record Event(Kind kind, Row row) {}

  private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final DataSource dataSource;
  private final HistorySql sql;
  private final String cluster;
  private final String node;
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private volatile boolean closing;

  public HistoryWriter(DataSource dataSource, HistorySql sql, String cluster, String node) {
    this.dataSource = dataSource;
    this.sql = sql;
    this.cluster = cluster;
    this.node = node;
    this.thread = new Thread(this::run, "baton-" + node + "-history");
    thread.setDaemon(true);
    thread.start();
  }

  void started(Row row) {
    offer(new Event(Kind.START, row));
  }

  public void finished(Row row) {
    offer(new Event(Kind.END, row));
  }

  /**
   * The start of an exactly-once execution, written now on the calling thread: its end is written
   * in the job's own transaction ({@link #writeIn}), which must find this row.
   */
  void startedNow(Row row) {
    try {
      write(List.of(new Event(Kind.START, row)));
    } catch (SQLException | RuntimeException e) {
      log.warn(
          "Node {}: could not write the start of {} now ({}); its end will write the whole row",
          node,
          row.id(),
          e.toString());
    }
  }

  /**
   * Writes an execution's end in the caller's transaction on {@code conn}: the row its start wrote,
   * updated, or the whole row when the start is not there.
   */
  void writeIn(Connection conn, Row row) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(sql.update)) {
      HistorySql.bindUpdate(ps, row, cluster);
      if (ps.executeUpdate() > 0) return;
    }
    insert(conn, List.of(row));
  }

  /** An execution with no separate start (a veto): one insert. */
  void single(Row row) {
    offer(new Event(Kind.SINGLE, row));
  }

  public long dropped() {
    return dropped.get();
  }

  private void offer(Event e) {
    boolean queued;
    try {
      queued = !closing && queue.offer(e, OFFER_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      queued = false;
    }
    if (!queued) {
      long n = dropped.incrementAndGet();
      // The first drop, then every thousandth, so a long outage does not flood the log.
      if (n == 1 || n % 1000 == 0) {
        log.warn(
            "Node {}: history entry {} of task {} dropped ({}); {} dropped so far",
            node,
            e.row().id(),
            e.row().job(),
            closing ? "history already closed" : "queue of " + CAPACITY + " full",
            n);
      }
    }
  }

  /** Writes everything queued, then stops the writer thread; waits up to {@code millis}. */
  public void close(long millis) {
    closing = true;
    // Not Thread.interrupt(): H2 closes its file channels when a thread doing I/O is interrupted.
    queue.offer(WAKE);
    try {
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn(
          "Node {}: history writer still busy after {} ms; {} event(s) unwritten",
          node,
          millis,
          queue.size());
    }
  }

  private void run() {
    while (true) {
      try {
        List<Event> batch = nextBatch();
        if (batch == null) return;
        if (!batch.isEmpty()) writeWithRetry(batch);
      } catch (Throwable t) {
        // Never let the writer die: the next batch is tried regardless.
        log.error("Node {}: history writer failed; continuing", node, t);
      }
    }
  }

  /** The next batch; empty when nothing came; null once closing and the queue is empty. */
  private List<Event> nextBatch() {
    List<Event> batch = new ArrayList<>();
    try {
      Event first = closing ? queue.poll() : queue.poll(1, TimeUnit.SECONDS);
      if (first == null) return closing ? null : batch;
      if (first.kind() == Kind.WAKE && closing) first = queue.poll();
      if (first == null) return null;
      batch.add(first);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
      while (batch.size() < MAX_BATCH && !closing) {
        long left = deadline - System.nanoTime();
        if (left <= 0) break;
        Event e = queue.poll(left, TimeUnit.NANOSECONDS);
        if (e == null) break;
        batch.add(e);
      }
    } catch (InterruptedException unexpected) {
      // Only close() ends the writer; write what was gathered.
    }
    queue.drainTo(batch, MAX_BATCH - batch.size());
    batch.removeIf(e -> e.kind() == Kind.WAKE);
    if (batch.isEmpty() && closing && queue.isEmpty()) return null;
    return batch;
  }

  /**
   * Writes a batch. While the database cannot be reached the batch waits for it, as the queue does,
   * however long that takes (unless the writer is closing); errors the database answers get {@value
   * #ATTEMPTS} attempts, then the events are written one by one and a row that still fails is
   * dropped.
   */
  private void writeWithRetry(List<Event> batch) {
    long waitingSince = 0;
    for (int attempt = 1; ; ) {
      try {
        write(batch);
        if (waitingSince != 0) {
          log.info(
              "Node {}: wrote {} history event(s) after waiting {} ms for the database",
              node,
              batch.size(),
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitingSince));
        }
        return;
      } catch (SQLException | RuntimeException e) {
        if (!closing && unreachable(e)) {
          if (waitingSince == 0) {
            waitingSince = System.nanoTime();
            log.warn(
                "Node {}: cannot reach the database to write {} history event(s); waiting for it"
                    + " ({})",
                node,
                batch.size(),
                e.toString());
          }
          pause(UNREACHABLE_RETRY_MILLIS);
          continue;
        }
        if (attempt == ATTEMPTS) {
          if (batch.size() > 1) {
            // One bad row must not take the others with it: write them one by one.
            log.warn(
                "Node {}: writing {} history events together failed {} times; writing them"
                    + " one by one",
                node,
                batch.size(),
                ATTEMPTS);
            for (Event single : batch) writeAlone(single);
            return;
          }
          dropped.incrementAndGet();
          log.error(
              "Node {}: could not write history event for {} of task {} after {} attempts;"
                  + " dropped",
              node,
              batch.get(0).row().id(),
              batch.get(0).row().job(),
              ATTEMPTS,
              e);
          return;
        }
        log.warn(
            "Node {}: writing {} history event(s) failed (attempt {} of {}): {}",
            node,
            batch.size(),
            attempt,
            ATTEMPTS,
            e.toString());
        pause(200L << attempt);
        attempt++;
      }
    }
  }

  /**
   * Whether a failure says the database could not be reached (a connection that could not be had or
   * broke), rather than that it refused the rows: JDBC's connection exceptions, by class or by
   * SQLState class 08, and PostgreSQL's shutting down or starting up (57P01–57P03), anywhere in the
   * causes.
   */
  static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08") || SERVER_GOING_OR_COMING.contains(state)) return true;
      }
    }
    return false;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException unexpected) {
      // Only close() ends the writer; retry now.
    }
  }

  private void writeAlone(Event e) {
    try {
      write(List.of(e));
    } catch (SQLException | RuntimeException failed) {
      dropped.incrementAndGet();
      log.error(
          "Node {}: could not write history event for {} of task {}; dropped",
          node,
          e.row().id(),
          e.row().job(),
          failed);
    }
  }

  /** One transaction: inserts (a start and its end merged into one), then updates. */
  private void write(List<Event> batch) throws SQLException {
    Map<String, Row> inserts = new LinkedHashMap<>();
    Map<String, Row> updates = new LinkedHashMap<>();
    for (Event e : batch) {
      String id = e.row().id();
      if (e.kind() == Kind.END && !inserts.containsKey(id)) updates.put(id, e.row());
      else inserts.put(id, e.row());
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        insert(c, inserts.values());
        List<Row> missing = new ArrayList<>();
        if (!updates.isEmpty()) {
          List<Row> rows = new ArrayList<>(updates.values());
          try (PreparedStatement ps = c.prepareStatement(sql.update)) {
            for (Row r : rows) {
              HistorySql.bindUpdate(ps, r, cluster);
              ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            // 0: the start row never made it (dropped or lost); write the whole row instead.
            // SUCCESS_NO_INFO (-2) means the driver does not know, and then the row is there.
            for (int i = 0; i < counts.length; i++) if (counts[i] == 0) missing.add(rows.get(i));
          }
        }
        insert(c, missing);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Inserts rows with multi-row statements: one per {@link #ROWS_PER_INSERT} rows or {@link
   * #TEXT_PER_INSERT} characters of text, where a JDBC batch executes a statement per row.
   */
  private void insert(Connection c, Collection<Row> rows) throws SQLException {
    List<Row> all = new ArrayList<>(rows);
    int from = 0;
    while (from < all.size()) {
      int to = from;
      long text = 0;
      while (to < all.size() && to - from < ROWS_PER_INSERT) {
        text += all.get(to).textLength();
        if (to > from && text > TEXT_PER_INSERT) break;
        to++;
      }
      try (PreparedStatement ps = c.prepareStatement(sql.insert(to - from))) {
        int before = 0;
        for (Row r : all.subList(from, to)) {
          HistorySql.bindInsert(ps, before, r, cluster);
          before += HistorySql.INSERT_WIDTH;
        }
        ps.executeUpdate();
      }
      from = to;
    }
  }
}
