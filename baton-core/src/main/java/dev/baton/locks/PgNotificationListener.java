package dev.baton.locks;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL only: one connection that LISTENs on the lock channel and wakes local waiters when any
 * node releases a lock. When the connection breaks, waiters fall back to polling and the listener
 * reconnects with backoff; after reconnecting it wakes everyone, since notifications sent meanwhile
 * are lost.
 */
final class PgNotificationListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PgNotificationListener.class);
  private static final int POLL_MILLIS = 500;

  private final DataSource dataSource;
  private final String channel;
  private final Wakeups wakeups;
  private final String nodeId;
  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean listening;

  PgNotificationListener(DataSource dataSource, String channel, Wakeups wakeups, String nodeId) {
    this.dataSource = dataSource;
    this.channel = channel;
    this.wakeups = wakeups;
    this.nodeId = nodeId;
    this.thread = new Thread(this::run, "baton-" + nodeId + "-lock-listener");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Whether notifications are being received now (else waiters rely on polling). */
  boolean listening() {
    return listening;
  }

  private void run() {
    long backoffMillis = 100;
    while (!closed) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + channel);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        listening = true;
        backoffMillis = 100;
        wakeups.wakeAll();
        while (!closed) {
          PGNotification[] notes = pg.getNotifications(POLL_MILLIS);
          if (notes != null && notes.length > 0) wakeups.wakeAll();
        }
      } catch (Throwable e) {
        listening = false;
        if (closed) break;
        log.warn(
            "Lock listener of node {} lost its PostgreSQL connection (channel {}): {}; waiters poll"
                + " meanwhile, reconnecting in {} ms",
            nodeId,
            channel,
            e.toString(),
            backoffMillis);
        try {
          TimeUnit.MILLISECONDS.sleep(backoffMillis);
        } catch (InterruptedException ie) {
          break;
        }
        backoffMillis = Math.min(backoffMillis * 2, 5000);
      }
    }
    listening = false;
  }

  @Override
  public void close() {
    closed = true;
    try {
      // getNotifications returns within POLL_MILLIS, then the loop sees closed.
      thread.join(POLL_MILLIS * 4L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) thread.interrupt();
  }
}
