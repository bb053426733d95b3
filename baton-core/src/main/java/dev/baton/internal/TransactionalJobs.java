package dev.baton.internal;

import dev.baton.internal.store.BatonJobStore;
import dev.baton.scheduling.ExactlyOnce;
import dev.baton.scheduling.Executions;
import dev.baton.scheduling.JobTransactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.quartz.InterruptableJob;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.UnableToInterruptJobException;

/**
 * Runs {@link ExactlyOnce} jobs in one transaction with their completion: the job's work, then the
 * commit guard ({@link BatonJobStore#claimExecution}), then what else must commit with it (the
 * history entry, see {@link CommitParticipant}), then the commit, all through {@link
 * JobTransactions}. A guard that finds the execution taken back fails the job, and the transaction
 * rolls back.
 */
public final class TransactionalJobs {
  /** Work written in an exactly-once job's transaction, after its guard, before its commit. */
  @FunctionalInterface
  public interface CommitParticipant {
    void beforeCommit(Connection connection, JobExecutionContext context) throws SQLException;
  }

  private final String nodeId;
  private final BatonJobStore store;
  private volatile JobTransactions transactions;
  private final List<CommitParticipant> participants = new CopyOnWriteArrayList<>();

  TransactionalJobs(String nodeId, BatonJobStore store, JobTransactions transactions) {
    this.nodeId = nodeId;
    this.store = store;
    this.transactions = transactions;
  }

  /** Whether jobs of {@code jobClass} run in a transaction with their completion. */
  public static boolean isTransactional(Class<?> jobClass) {
    return jobClass != null && jobClass.isAnnotationPresent(ExactlyOnce.class);
  }

  /** Whether an execution of {@code jobClass} cut by its node's death is run again. */
  public static boolean recoverable(Class<?> jobClass) {
    return isTransactional(jobClass) && jobClass.getAnnotation(ExactlyOnce.class).recover();
  }

  /** Runs exactly-once jobs in {@code transactions} from now on. */
  void use(JobTransactions transactions) {
    this.transactions = Objects.requireNonNull(transactions, "transactions");
  }

  /** Adds work to every exactly-once commit; call before the node starts. */
  public void addParticipant(CommitParticipant participant) {
    participants.add(participant);
  }

  /** {@code job} itself, or run in its transaction when its class (as stored) asks for it. */
  Job wrap(Class<?> jobClass, Job job) {
    if (!isTransactional(jobClass)) return job;
    return job instanceof InterruptableJob
        ? new InterruptibleInTransaction(job)
        : new InTransaction(job);
  }

  /** The job, in a transaction with its completion. */
  private class InTransaction implements Job {
    private final Job job;

    InTransaction(Job job) {
      this.job = job;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
      try {
        transactions.inTransaction(
            connection -> {
              context.put(Executions.CONNECTION, connection);
              try {
                job.execute(context);
              } finally {
                context.put(Executions.CONNECTION, null);
              }
              if (!store.claimExecution(connection, context.getFireInstanceId())) {
                throw new ExecutionTakenBackException(nodeId, context);
              }
              for (CommitParticipant p : participants) p.beforeCommit(connection, context);
            });
      } catch (JobExecutionException e) {
        throw e;
      } catch (Exception e) {
        throw new JobExecutionException(e, false);
      }
    }

    @Override
    public String toString() {
      return job.toString();
    }
  }

  /** An interruptible job in its transaction: still interruptible. */
  private final class InterruptibleInTransaction extends InTransaction implements InterruptableJob {
    private final InterruptableJob job;

    InterruptibleInTransaction(Job job) {
      super(job);
      this.job = (InterruptableJob) job;
    }

    @Override
    public void interrupt() throws UnableToInterruptJobException {
      job.interrupt();
    }
  }

  /** The commit of an execution the cluster took back, refused. */
  static final class ExecutionTakenBackException extends JobExecutionException {
    private static final long serialVersionUID = 1L;

    ExecutionTakenBackException(String nodeId, JobExecutionContext context) {
      super(
          "Commit refused and rolled back: node "
              + nodeId
              + " was declared dead while execution "
              + context.getFireInstanceId()
              + " of "
              + context.getJobDetail().getKey()
              + " ran, and the cluster took it back",
          false);
    }
  }
}
