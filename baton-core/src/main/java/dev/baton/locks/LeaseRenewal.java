package dev.baton.locks;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews one held lock in the background until stopped. Every tick runs inside a catch-all that
 * logs with context, so one failure never ends renewal; a failure only becomes a loss once the
 * lease has run out locally (measured conservatively from before the last successful renewal), or
 * at once when the database says another owner or token holds the lock. A loss is logged, reaches
 * the holder's callback and, if asked, interrupts the holder's thread. Started by {@link
 * ClusterLock#renewInBackground} or by {@link ClusterLocks#withLock}.
 */
public final class LeaseRenewal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaseRenewal.class);

  private final ClusterLock lock;
  private final Consumer<LockLostException> onLost;
  private final Thread interruptOnLoss;
  private final ScheduledFuture<?> future;
  private volatile boolean stopped;

  LeaseRenewal(
      ScheduledExecutorService executor,
      ClusterLock lock,
      long intervalNanos,
      Consumer<LockLostException> onLost,
      Thread interruptOnLoss) {
    this.lock = lock;
    this.onLost = onLost;
    this.interruptOnLoss = interruptOnLoss;
    this.future =
        executor.scheduleWithFixedDelay(
            this::tick, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
  }

  private void tick() {
    if (stopped) return;
    try {
      lock.renew();
    } catch (LockLostException e) {
      lost(e);
    } catch (Throwable e) {
      if (stopped) return; // released meanwhile
      if (lock.localLeaseRanOut()) {
        lost(
            new LockLostException(
                lock.name(),
                lock.fencingToken(),
                lock.nodeId(),
                null,
                "its lease ran out while renewals failed (last error: " + e + ")"));
      } else {
        log.warn(
            "Could not renew lock '{}' (token {}) of node {}; retrying before the lease runs out:"
                + " {}",
            lock.name(),
            lock.fencingToken(),
            lock.nodeId(),
            e.toString());
      }
    }
  }

  private void lost(LockLostException e) {
    if (stopped) return;
    stopped = true;
    future.cancel(false);
    lock.markLost(e);
    log.error(
        "Lost lock '{}' (token {}) of node {} while its holder still runs: {}",
        lock.name(),
        lock.fencingToken(),
        lock.nodeId(),
        e.getMessage());
    if (onLost != null) {
      try {
        onLost.accept(e);
      } catch (Throwable t) {
        log.error(
            "onLost callback for lock '{}' (token {}) threw", lock.name(), lock.fencingToken(), t);
      }
    }
    if (interruptOnLoss != null) interruptOnLoss.interrupt();
  }

  /** Stops renewing (idempotent); the caller then releases the lock. */
  public void stop() {
    stopped = true;
    future.cancel(false);
  }

  /** Stops renewing; see {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }
}
