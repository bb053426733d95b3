package dev.baton.scheduling;

import org.quartz.simpl.SimpleThreadPool;

/**
 * Quartz's worker threads (its {@link SimpleThreadPool}, which Quartz configures by reflection),
 * reporting how many are free only once the work they were just handed has had a moment to finish.
 * Quartz acquires as many due triggers as it has free workers, and it asks the moment it has handed
 * out the previous batch: with short jobs, half the workers were still finishing, so a busy node
 * acquired half batches and paid the cluster-wide acquisition twice as often. Here the question
 * waits — at most {@link #GATHER_NANOS}, and only while work handed out since the last question
 * still runs — so a node with short jobs acquires full batches; longer work is not waited for.
 */
final class WorkerPool extends SimpleThreadPool {
  /** Longest wait for just-dispatched work, and so the most a firing can be delayed by it. */
  static final long GATHER_NANOS = 2_000_000;

  // Work handed out since the last blockForAvailableThreads() and still running, by generation.
  private long generation;
  private int fresh;

  WorkerPool(int size, String threadNamePrefix) {
    super(size, Thread.NORM_PRIORITY);
    setThreadNamePrefix(threadNamePrefix);
    setMakeThreadsDaemons(true);
  }

  @Override
  public boolean runInThread(Runnable work) {
    long dispatchedIn;
    synchronized (this) {
      dispatchedIn = generation;
      fresh++;
    }
    boolean accepted = super.runInThread(() -> {
      try {
        work.run();
      } finally {
        finished(dispatchedIn);
      }
    });
    if (!accepted) finished(dispatchedIn);
    return accepted;
  }

  private synchronized void finished(long dispatchedIn) {
    if (dispatchedIn == generation && --fresh == 0) notifyAll();
  }

  @Override
  public int blockForAvailableThreads() {
    int free = super.blockForAvailableThreads();
    if (free < getPoolSize()) {
      synchronized (this) {
        long deadline = System.nanoTime() + GATHER_NANOS;
        long left;
        while (fresh > 0 && (left = deadline - System.nanoTime()) > 0) {
          try {
            wait(left / 1_000_000, (int) (left % 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
      free = super.blockForAvailableThreads();
    }
    synchronized (this) {
      generation++;
      fresh = 0;
    }
    return free;
  }
}
