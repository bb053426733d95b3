package dev.baton.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.testing.PostgresDatabase;
import dev.baton.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PostgresLockTest extends LockContract {
  @Override
  protected TestDatabase newDatabase() {
    return new PostgresDatabase();
  }

  /** Releases notify only while a waiter is registered; waiters register and unregister. */
  @Test
  void waitersRegisterSoThatReleasesNotify() throws Exception {
    ClusterLocks a = node("a");
    ClusterLocks b = node("b");
    ClusterLock held = a.tryAcquire("notified", Duration.ofSeconds(30)).orElseThrow();
    assertThat(waiters("notified")).isZero();

    CompletableFuture<ClusterLock> waiting =
        CompletableFuture.supplyAsync(
            () -> b.acquire("notified", Duration.ofSeconds(30), Duration.ofSeconds(30)));
    await().atMost(Duration.ofSeconds(10)).until(() -> waiters("notified") == 1);
    assertThat(held.release()).isTrue();

    ClusterLock next = waiting.get(10, TimeUnit.SECONDS);
    assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
    assertThat(waiters("notified")).isZero();
  }

  /**
   * When the listener's connection dies, waiters still get the lock and the listener comes back.
   */
  @Test
  void listenerReconnectsAfterItsConnectionIsKilled() throws Exception {
    ClusterLocks a = node("a");
    ClusterLocks b = node("b");
    ClusterLock held = a.tryAcquire("relisten", Duration.ofSeconds(30)).orElseThrow();
    CompletableFuture<ClusterLock> first =
        CompletableFuture.supplyAsync(
            () -> b.acquire("relisten", Duration.ofSeconds(30), Duration.ofSeconds(30)));
    await().atMost(Duration.ofSeconds(10)).until(() -> listeners() == 1);

    assertThat(terminateListeners()).isEqualTo(1);
    held.release();
    ClusterLock second = first.get(10, TimeUnit.SECONDS);
    assertThat(second.fencingToken()).isGreaterThan(held.fencingToken());

    await().atMost(Duration.ofSeconds(10)).until(() -> listeners() == 1);
    CompletableFuture<ClusterLock> third =
        CompletableFuture.supplyAsync(
            () -> a.acquire("relisten", Duration.ofSeconds(30), Duration.ofSeconds(30)));
    await().atMost(Duration.ofSeconds(10)).until(() -> waiters("relisten") == 1);
    assertThat(second.release()).isTrue();
    assertThat(third.get(10, TimeUnit.SECONDS).fencingToken()).isGreaterThan(second.fencingToken());
  }

  private int listeners() throws Exception {
    return queryInt(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND query LIKE 'LISTEN baton_locks_%' AND pid <> pg_backend_pid()");
  }

  private int terminateListeners() throws Exception {
    return queryInt(
        "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            + " WHERE datname = current_database() AND query LIKE 'LISTEN baton_locks_%'"
            + " AND pid <> pg_backend_pid()) t");
  }

  private int queryInt(String sql) throws Exception {
    try (Connection c = db.pool(1).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private int waiters(String name) throws Exception {
    try (Connection c = db.pool(1).getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT WAITERS FROM QRTZ_BATON_LOCKS WHERE LOCK_NAME = '" + name + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
