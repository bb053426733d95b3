package dev.baton.scheduling;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Quartz {@code Job} class whose database work commits together with its execution's
 * completion: exactly once.
 *
 * <p>Baton runs such a job inside one transaction on the node's database ({@link JobTransactions};
 * with the Spring Boot starter, a Spring-managed transaction that {@code @Transactional}, {@code
 * TransactionTemplate}, {@code JdbcTemplate}, JPA and jOOQ code on the same {@code DataSource}
 * join). The job reaches it as {@link Executions#connection}. Just before the commit Baton checks,
 * under a row lock that recovery takes too, that the execution is still this node's, marks it done
 * in the same transaction and writes its history entry there; then it commits. So:
 *
 * <ul>
 *   <li>a node that dies before the commit leaves no trace of the work, and the execution is run
 *       again elsewhere (such jobs request recovery unless {@link #recover()} is false);
 *   <li>a node that dies after the commit is not run again;
 *   <li>a node the cluster declared dead (paused, cut off) and that wakes up to commit finds its
 *       execution taken back: its commit is refused and rolled back.
 * </ul>
 *
 * <p>Only writes made in that transaction, on that database, are exactly once. An e-mail, an HTTP
 * call or a write to another database is not: guard those with the execution's fencing token
 * ({@link Executions#fencingToken}, {@link FencingGuard}) or its fire instance id.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ExactlyOnce {
  /**
   * Whether an execution cut by its node's death is run again elsewhere (Quartz's "requests
   * recovery"). True by default: an execution that did not commit left nothing behind.
   */
  boolean recover() default true;
}
