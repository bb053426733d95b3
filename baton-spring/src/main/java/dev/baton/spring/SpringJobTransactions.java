package dev.baton.spring;

import dev.baton.scheduling.JobTransactions;
import java.sql.Connection;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
  private static final Logger log = LoggerFactory.getLogger(SpringJobTransactions.class);

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
    if (tm == null) return null;
    DataSource managed = managedDataSource(tm);
    if (managed != dataSource) {
      log.info(
          "Exactly-once jobs run in plain JDBC transactions: the transaction manager {} does not"
              + " manage the DataSource Baton uses ({}), so Spring code in those jobs would not"
              + " join their transaction",
          tm.getClass().getName(),
          managed == null ? "it manages none it names" : "it manages another");
      return null;
    }
    return new SpringJobTransactions(tm, dataSource);
  }

  /**
   * The DataSource {@code tm} manages, by its {@code getDataSource()}
   * (DataSourceTransactionManager, JpaTransactionManager, HibernateTransactionManager all have
   * one), or null.
   */
  private static DataSource managedDataSource(PlatformTransactionManager tm) {
    try {
      Object ds = tm.getClass().getMethod("getDataSource").invoke(tm);
      return ds instanceof DataSource d ? d : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public void inTransaction(Work work) throws Exception {
    try {
      new TransactionTemplate(transactionManager)
          .executeWithoutResult(
              status -> {
                Connection c = DataSourceUtils.getConnection(dataSource);
                try {
                  // A connection outside the transaction would commit Baton's guard on its own.
                  if (c.getAutoCommit()) {
                    throw new IllegalStateException(
                        "The transaction manager "
                            + transactionManager.getClass().getName()
                            + " did not bind a transaction to Baton's DataSource: an exactly-once"
                            + " job cannot run in it");
                  }
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
