package dev.baton.spring;

import dev.baton.scheduling.JobTransactions;
import java.sql.Connection;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ClassUtils;

/**
 * Runs {@link dev.baton.scheduling.ExactlyOnce} jobs in a transaction of the application's {@link
 * PlatformTransactionManager}, so that the job's Spring code joins it: {@code @Transactional}
 * methods and {@code TransactionTemplate}s (propagation REQUIRED), {@code JdbcTemplate}, JPA with
 * {@code JpaTransactionManager}, jOOQ on a Spring-aware {@code DataSource}. Baton's commit guard
 * and history entry use the same transaction's connection ({@link DataSourceUtils}), so they commit
 * with the job's work, or not at all.
 */
public final class SpringJobTransactions implements JobTransactions {
  private final PlatformTransactionManager transactionManager;
  private final DataSource dataSource;

  /**
   * @param transactionManager the application's, managing transactions on {@code dataSource}
   * @param dataSource the node's {@code DataSource}: Baton's tables are there
   */
  public SpringJobTransactions(
      PlatformTransactionManager transactionManager, DataSource dataSource) {
    this.transactionManager = Objects.requireNonNull(transactionManager, "transactionManager");
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /**
   * The application's single transaction manager's transactions on {@code dataSource}, or null when
   * Spring JDBC is absent or there is not exactly one transaction manager (Baton then uses plain
   * JDBC transactions, which Spring code does not join).
   */
  public static JobTransactions ifAvailable(BeanFactory beans, DataSource dataSource) {
    ClassLoader loader = SpringJobTransactions.class.getClassLoader();
    if (!ClassUtils.isPresent("org.springframework.jdbc.datasource.DataSourceUtils", loader)) {
      return null;
    }
    PlatformTransactionManager tm =
        beans.getBeanProvider(PlatformTransactionManager.class).getIfUnique();
    return tm == null ? null : new SpringJobTransactions(tm, dataSource);
  }

  @Override
  public void inTransaction(Work work) throws Exception {
    try {
      new TransactionTemplate(transactionManager)
          .executeWithoutResult(
              status -> {
                Connection c = DataSourceUtils.getConnection(dataSource);
                try {
                  work.run(c);
                } catch (RuntimeException | Error e) {
                  throw e;
                } catch (Exception e) {
                  throw new Checked(e);
                } finally {
                  DataSourceUtils.releaseConnection(c, dataSource);
                }
              });
    } catch (Checked e) {
      throw (Exception) e.getCause();
    }
  }

  /** A checked exception carried out of the template, which rolls back on it. */
  private static final class Checked extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Checked(Exception cause) {
      super(cause);
    }
  }
}
