package dev.baton.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import org.quartz.SchedulerConfigException;
import org.quartz.simpl.SimpleThreadPool;
import org.quartz.spi.TriggerFiredBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz's worker threads (its {@link SimpleThreadPool}) with two additions that let one scheduler
 * thread keep them busy.
 *
 * <ul>
 *   <li><b>Full batches.</b> Quartz acquires as many due triggers as it has room for, and it asks
 *       the moment it has handed out the previous batch: with short jobs, half the workers were
 *       still finishing, so a busy node acquired half batches and paid a claim and its commit twice
 *       as often. Here the question waits — at most {@link #GATHER_NANOS}, and only while work
 *       handed out since the last question still runs (a queue drained by busy workers wakes no
 *       one, so without this wait a claim would follow the first worker to go idle).
 *   <li><b>Claiming ahead.</b> While the recent jobs are short (average under {@link
 *       #SHORT_JOB_NANOS}), the pool has room for up to {@code queueCapacity} firings more than it
 *       has free workers; they wait in a queue, and a worker that finishes takes the next. The next
 *       claim then overlaps the running batch, and each claim — a few round trips and a durable
 *       commit — serves many more firings. A queued firing that still has no worker after {@link
 *       #HAND_BACK_NANOS} (every worker caught in long jobs) goes back to the cluster unrun, for
 *       any node to claim ({@link HandBack}), so claiming ahead never parks a firing behind long
 *       work while other nodes idle. Firings that could not be handed back (those Quartz fires
 *       under its cluster lock) are acquired only for free workers, so they never queue.
 * </ul>
 *
 * <p>With {@code virtual} (Java 21+), each worker is a virtual thread started for the work it takes
 * and ended when the queue is empty, instead of one of Quartz's platform threads: the limit of
 * {@code size} running jobs, claiming ahead and the drain are the same, as they are this class's
 * own counting either way.
 */
public final class WorkerPool extends SimpleThreadPool {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  /** Longest wait for just-dispatched work, and so the most a firing can be delayed by it. */
  static final long GATHER_NANOS = 2_000_000;

  /** The pool claims ahead only while jobs took less than this on average. */
  static final long SHORT_JOB_NANOS = 5_000_000;

  /** A firing queued this long without a worker is handed back to the cluster. */
  static final long HAND_BACK_NANOS = 1_000_000_000L;

  private static final long POLL_MILLIS = 50;

  /** The longest a job waits for its start time (a firing is committed far less ahead). */
  private static final long MAX_START_WAIT_NANOS = 1_000_000_000L;

  /** Gives a queued, unrun firing back to the cluster: the job store's side of claiming ahead. */
  public interface HandBack {
    /** Whether this firing can be undone without the cluster lock. */
    boolean canHandBack(TriggerFiredBundle firing);

    /**
     * Undoes the firing, so that any node may claim it again; false if it stays this node's to run
     * (its trigger moved on meanwhile); throws if the database refused.
     */
    boolean handBack(TriggerFiredBundle firing) throws Exception;
  }

  /**
   * When a firing's job may start: the job store commits a firing a little ahead of its time, and
   * its job starts on time, never before it.
   */
  @FunctionalInterface
  public interface StartTime {
    /** Nanoseconds until the firing's job may start; zero or less if it may now. */
    long nanosUntil(TriggerFiredBundle firing);
  }

  private record Queued(
      Runnable work, TriggerFiredBundle firing, long startAt, long sinceNanos, long generation) {}

  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private volatile HandBack handBack;
  private volatile StartTime startTime;
  private boolean shutDown;

  /** The firing whose job the scheduler thread built last: the work it hands out next. */
  private TriggerFiredBundle announced;

  private int busy;

  /** Moving average of how long jobs ran; starts long, so nothing is claimed ahead of the first. */
  private long averageJobNanos = 2 * SHORT_JOB_NANOS;

  // Work handed out since the last blockForAvailableThreads() and still running, by generation.
  private static final long NOT_GATHERED = -1;
  private long generation;
  private int fresh;

  /** Virtual workers' factory, or null for Quartz's platform threads. */
  private final ThreadFactory virtualWorkers;

  /** Live virtual workers, for the drain to wait for. */
  private final Set<Thread> virtualAlive = ConcurrentHashMap.newKeySet();

  /** How many firings may wait in the queue while claiming ahead. */
  private final int queueCapacity;

  /**
   * @param size the workers: the most jobs that run at once
   * @param queueCapacity the most firings queued for them while claiming ahead
   */
  public WorkerPool(int size, int queueCapacity, String threadNamePrefix, boolean virtual) {
    super(size, Thread.NORM_PRIORITY);
    this.queueCapacity = queueCapacity;
    setThreadNamePrefix(threadNamePrefix);
    setMakeThreadsDaemons(true);
    this.virtualWorkers = virtual ? VirtualThreads.factory(threadNamePrefix + "-v") : null;
  }

  /** Starts Quartz's platform workers, unless workers are virtual threads started on demand. */
  @Override
  public void initialize() throws SchedulerConfigException {
    if (virtualWorkers == null) super.initialize();
  }

  /** Turns claiming ahead on: queued firings go back to the cluster through {@code handBack}. */
  void claimAhead(HandBack handBack) {
    this.handBack = handBack;
  }

  /** Jobs start no earlier than their firings' start times. */
  void startOnTime(StartTime startTime) {
    this.startTime = startTime;
  }

  /**
   * Called by the job factory on the scheduler thread: the firing whose job it just built. Quartz
   * builds a firing's job and at once hands its shell to {@link #runInThread}, so this is the
   * firing of the next work handed out.
   */
  synchronized void announce(TriggerFiredBundle firing) {
    announced = firing;
  }

  @Override
  public boolean runInThread(Runnable work) {
    Runnable first;
    long dispatchedIn;
    synchronized (this) {
      TriggerFiredBundle firing = announced;
      announced = null;
      StartTime start = startTime;
      long wait = firing == null || start == null ? 0 : start.nanosUntil(firing);
      long startAt = System.nanoTime() + Math.min(Math.max(wait, 0), MAX_START_WAIT_NANOS);
      // Work that waits for its start time is not about to free its worker: not gathered for.
      if (wait > 0) {
        dispatchedIn = NOT_GATHERED;
      } else {
        dispatchedIn = generation;
        fresh++;
      }
      if (busy >= getPoolSize() && !shutDown) {
        queue.add(new Queued(work, firing, startAt, System.nanoTime(), dispatchedIn));
        return true;
      }
      busy++;
      first = measured(work, startAt, dispatchedIn);
    }
    if (startWorker(first)) return true;
    synchronized (this) {
      busy--;
      finished(dispatchedIn);
    }
    return false;
  }

  /** A worker runs its work, then whatever was queued meanwhile, and only then is free again. */
  private boolean startWorker(Runnable first) {
    Runnable worker =
        () -> {
          Runnable next = first;
          while (next != null) {
            next.run();
            synchronized (this) {
              Queued q = queue.poll();
              if (q == null) {
                busy--;
                notifyAll();
                next = null;
              } else {
                next = measured(q.work(), q.startAt(), q.generation());
              }
            }
          }
        };
    if (virtualWorkers == null) return super.runInThread(worker);
    Thread t =
        virtualWorkers.newThread(
            () -> {
              try {
                worker.run();
              } finally {
                virtualAlive.remove(Thread.currentThread());
              }
            });
    virtualAlive.add(t);
    t.start();
    return true;
  }

  /**
   * The work, started no earlier than {@code startAt} ({@link System#nanoTime()}), timed into the
   * average and counted as finished for the gathering wait.
   */
  private Runnable measured(Runnable work, long startAt, long dispatchedIn) {
    return () -> {
      waitUntil(startAt);
      long start = System.nanoTime();
      try {
        work.run();
      } finally {
        long took = System.nanoTime() - start;
        synchronized (this) {
          averageJobNanos += (took - averageJobNanos) / 8;
          finished(dispatchedIn);
        }
      }
    };
  }

  /**
   * Waits until {@code startAt} on the monotonic clock ({@link System#nanoTime()}). An interrupt
   * does not start the job early — a job that restores its interrupt, as it should, leaves one for
   * the next work of its worker — and is kept for the job to see.
   */
  private static void waitUntil(long startAt) {
    boolean interrupted = false;
    long left;
    while ((left = startAt - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) interrupted = true; // else the next park returns at once
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  private void finished(long dispatchedIn) {
    if (dispatchedIn == generation && --fresh == 0) notifyAll();
  }

  /** Workers without work now. */
  public synchronized int freeWorkers() {
    return Math.max(0, getPoolSize() - busy);
  }

  /** Waits at most {@code maxMillis} for a worker to be free; returns how many are. */
  public synchronized int awaitFreeWorker(long maxMillis) {
    long deadline = System.nanoTime() + maxMillis * 1_000_000;
    long left;
    while (freeWorkers() == 0 && !shutDown && (left = deadline - System.nanoTime()) > 0) {
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return freeWorkers();
  }

  /** Whether firings may be claimed for the queue now: it is on, and recent jobs were short. */
  private boolean claimingAhead() {
    return handBack != null && !shutDown && averageJobNanos < SHORT_JOB_NANOS;
  }

  /** Free workers, plus free queue places while claiming ahead. */
  private int room() {
    int free = freeWorkers();
    if (!claimingAhead()) return queue.isEmpty() ? free : 0;
    return free + Math.max(0, queueCapacity - queue.size());
  }

  @Override
  public int blockForAvailableThreads() {
    while (true) {
      handBackStale();
      synchronized (this) {
        if (shutDown) return 0;
        if (room() > 0) break;
        try {
          wait(POLL_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return 0;
        }
      }
    }
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
      generation++;
      fresh = 0;
      return room();
    }
  }

  /** Hands back the queued firings that waited too long for a worker. */
  private void handBackStale() {
    handBackQueued(false);
  }

  /** Hands back the queued firings that can be, all or those queued too long; outside the lock. */
  private void handBackQueued(boolean all) {
    HandBack to = handBack;
    if (to == null) return;
    List<Queued> taken = new ArrayList<>();
    long now = System.nanoTime();
    synchronized (this) {
      if (queue.isEmpty()) return;
      queue.removeIf(
          q -> {
            boolean due = all || now - q.sinceNanos() >= HAND_BACK_NANOS;
            boolean take = due && q.firing() != null && to.canHandBack(q.firing());
            if (take) taken.add(q);
            return take;
          });
    }
    for (Queued q : taken) {
      boolean back = false;
      try {
        back = to.handBack(q.firing());
      } catch (Exception e) {
        log.warn(
            "Could not hand back the firing of {} queued for a worker; it runs here when one is"
                + " free",
            q.firing().getTrigger().getKey(),
            e);
      }
      Runnable restart = null;
      synchronized (this) {
        // Jobs here are not short right now: no more claiming ahead until they are again.
        averageJobNanos = Math.max(averageJobNanos, 2 * SHORT_JOB_NANOS);
        if (back) {
          finished(q.generation());
        } else if (freeWorkers() > 0) {
          busy++; // the workers went idle meanwhile: nobody would look at the queue
          restart = measured(q.work(), q.startAt(), q.generation());
        } else {
          // It stays this node's: queued again, no longer a candidate to hand back.
          queue.addFirst(new Queued(q.work(), null, q.startAt(), q.sinceNanos(), q.generation()));
        }
      }
      if (restart != null && !startWorker(restart)) {
        synchronized (this) {
          busy--;
        }
      }
    }
  }

  /** Queued firings go back to the cluster first; the rest run before the workers stop. */
  @Override
  public void shutdown(boolean waitForJobsToComplete) {
    handBackQueued(true);
    synchronized (this) {
      shutDown = true;
      notifyAll();
    }
    if (virtualWorkers == null) {
      super.shutdown(waitForJobsToComplete);
      return;
    }
    // As Quartz's own pool does: the queue runs out, and the caller waits if asked to.
    while (waitForJobsToComplete && !virtualAlive.isEmpty()) {
      for (Thread t : List.copyOf(virtualAlive)) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
