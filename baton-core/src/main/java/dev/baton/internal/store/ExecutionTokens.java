package dev.baton.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.quartz.JobPersistenceException;
import org.quartz.spi.TriggerFiredBundle;
import org.quartz.spi.TriggerFiredResult;

/**
 * A fencing token for every execution, strictly increasing across the cluster in firing order. Each
 * firing transaction takes one value of the cluster's sequence and numbers its firings from it:
 * {@code value * 1000 + i}. One statement per batch, not per firing, and no counter row that every
 * node's firings would queue on.
 *
 * <p>Why this orders a stalled node before its successor: a node fires (and numbers) an execution
 * in the transaction that checks the execution is still its own; the cluster can take it back only
 * after declaring the node dead, later; the successor's firing then takes a later, higher value.
 *
 * <p>The tokens wait here, by fire instance id, until the job's context is made on its worker
 * thread ({@link #take}).
 */
final class ExecutionTokens {
  /** Firings numbered from one value; a larger batch takes more values. */
  static final int PER_VALUE = 1_000;

  private final SchedulerSql sql;
  private final Map<String, Long> byFireInstance = new ConcurrentHashMap<>();

  ExecutionTokens(SchedulerSql sql) {
    this.sql = sql;
  }

  /** Numbers the fired executions among {@code results}, in the firing transaction. */
  void assign(Connection conn, Collection<TriggerFiredResult> results)
      throws JobPersistenceException {
    try {
      long next = 0;
      int left = 0;
      for (TriggerFiredResult r : results) {
        TriggerFiredBundle b = r.getTriggerFiredBundle();
        if (b == null) continue;
        if (left == 0) {
          next = sql.nextTokenBlock(conn) * PER_VALUE;
          left = PER_VALUE;
        }
        byFireInstance.put(b.getTrigger().getFireInstanceId(), next++);
        left--;
      }
    } catch (SQLException e) {
      throw new JobPersistenceException("Could not take execution tokens: " + e.getMessage(), e);
    }
  }

  /** The token of a fired execution, handed out once; null when it has none (or was taken). */
  Long take(String fireInstanceId) {
    return byFireInstance.remove(fireInstanceId);
  }

  /** Drops the token of a firing that will not run. */
  void forget(String fireInstanceId) {
    byFireInstance.remove(fireInstanceId);
  }
}
