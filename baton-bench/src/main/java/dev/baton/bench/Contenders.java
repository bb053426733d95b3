package dev.baton.bench;

import dev.baton.locks.ClusterLock;
import dev.baton.locks.ClusterLocks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbc.JdbcLockProvider;

/** The three contenders: Baton, ShedLock's JDBC provider, and a row lock held for a transaction. */
final class Contenders {
  static final String LOCK = "bench";
  private static final Duration LEASE = Duration.ofSeconds(30);

  private Contenders() {}

  /** Baton: one ClusterLocks (its own node, listener and connections) per contending thread. */
  static Contender baton(ClusterLocks locks) {
    return new Contender() {
      @Override
      public String name() {
        return "Baton";
      }

      @Override
      public Object acquire() {
        return locks.acquire(LOCK, LEASE, Duration.ofMinutes(1));
      }

      @Override
      public void release(Object held) {
        if (!((ClusterLock) held).release()) throw new IllegalStateException("lost the lock");
      }
    };
  }

  /**
   * ShedLock has no waiting acquire; waiting is polled with the same backoff Baton uses when it has
   * no notifications (2 ms doubling to 200 ms, jittered).
   */
  static Contender shedLock(JdbcLockProvider provider) {
    return new Contender() {
      @Override
      public String name() {
        return "ShedLock JDBC";
      }

      @Override
      public Object acquire() {
        long backoff = 2_000_000;
        while (true) {
          Optional<SimpleLock> lock =
              provider.lock(new LockConfiguration(ClockProvider.now(), LOCK, LEASE, Duration.ZERO));
          if (lock.isPresent()) return lock.get();
          LockSupport.parkNanos(
              backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
          backoff = Math.min(backoff * 2, 200_000_000);
        }
      }

      @Override
      public void release(Object held) {
        ((SimpleLock) held).unlock();
      }
    };
  }

  /** Metabase's approach: SELECT ... FOR UPDATE on a lock row, held until the transaction ends. */
  static Contender forUpdate(DataSource ds) {
    return new Contender() {
      @Override
      public String name() {
        return "SELECT FOR UPDATE";
      }

      @Override
      public Object acquire() throws Exception {
        Connection c = ds.getConnection();
        c.setAutoCommit(false);
        try (PreparedStatement ps =
            c.prepareStatement("SELECT name FROM bench_row_locks WHERE name = ? FOR UPDATE")) {
          ps.setString(1, LOCK);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new IllegalStateException("lock row missing");
          }
        }
        return c;
      }

      @Override
      public void release(Object held) throws Exception {
        try (Connection c = (Connection) held) {
          c.commit();
        }
      }
    };
  }
}
