package dev.baton.spring.starter.shedlock;

import dev.baton.Baton;
import dev.baton.locks.LockInfo;
import dev.baton.shedlock.BatonLockProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Test instrumentation, not part of what a user writes: records each run in table {@code
 * report_runs} of the shared database, with what the lock looked like from inside the run.
 */
@Component
public class RunLog {
  /** The work of one run. */
  public interface Work {
    void run() throws InterruptedException;
  }

  private final JdbcTemplate jdbc;
  private final Baton baton;
  private final String instance;

  public RunLog(JdbcTemplate jdbc, Baton baton, @Value("${report.instance}") String instance) {
    this.jdbc = jdbc;
    this.baton = baton;
    this.instance = instance;
  }

  /**
   * Runs {@code work} and records the run: start and end on this JVM's monotonic clock (both
   * instances of the test share the JVM, so they compare), the token the provider gave this run,
   * and the token the node's lock table shows for {@code lockName} as held by this node.
   */
  public void record(String lockName, Work work) throws InterruptedException {
    long started = System.nanoTime();
    long token = BatonLockProvider.fencingToken(lockName).orElse(-1);
    long heldToken =
        baton.locks().held().stream()
            .filter(l -> l.name().equals(lockName) && l.ownerNode().equals(baton.nodeId()))
            .mapToLong(LockInfo::fencingToken)
            .findFirst()
            .orElse(-1);
    work.run();
    long ended = System.nanoTime();
    jdbc.update(
        "INSERT INTO report_runs (instance, node_id, started_nanos, ended_nanos, token, held_token)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        instance,
        baton.nodeId(),
        started,
        ended,
        token,
        heldToken);
  }
}
