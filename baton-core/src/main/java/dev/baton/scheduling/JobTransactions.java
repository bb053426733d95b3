package dev.baton.scheduling;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * How {@link ExactlyOnce} jobs get their transaction. Baton's default opens one on the node's
 * {@code DataSource} ({@link #jdbc}); the Spring Boot starter installs one run by the application's
 * transaction manager, so Spring code joins it. An implementation must run {@code work} in one
 * transaction on the database Baton's tables are in, give it that transaction's connection, commit
 * when {@code work} returns and roll back when it throws, rethrowing what it threw.
 */
@FunctionalInterface
public interface JobTransactions {
  /** The body of a transaction: the job and Baton's completion. */
  @FunctionalInterface
  interface Work {
    /** Runs on the transaction's connection; must not commit, roll back or close it. */
    void run(Connection connection) throws Exception;
  }

  /** Runs {@code work} in one transaction; see the class comment. */
  void inTransaction(Work work) throws Exception;

  /** Transactions on {@code dataSource} with plain JDBC. */
  static JobTransactions jdbc(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    return work -> {
      try (Connection c = dataSource.getConnection()) {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
          work.run(c);
          c.commit();
        } catch (Exception | Error e) {
          try {
            c.rollback();
          } catch (SQLException rollback) {
            e.addSuppressed(rollback);
          }
          throw e;
        } finally {
          try {
            c.setAutoCommit(autoCommit);
          } catch (SQLException ignored) {
            // The pool resets or discards a connection it cannot restore.
          }
        }
      }
    };
  }
}
