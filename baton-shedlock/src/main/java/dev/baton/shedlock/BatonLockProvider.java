package dev.baton.shedlock;

import dev.baton.locks.ClusterLock;
import dev.baton.locks.ClusterLocks;
import dev.baton.locks.LockException;
import dev.baton.locks.LockReentryException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * A ShedLock {@link net.javacrumbs.shedlock.core.LockProvider} on Baton's {@link ClusterLocks}:
 * swap it in for the application's current provider and {@code @SchedulerLock} methods get leases
 * measured by the database clock, fencing tokens, and locks listed by the Baton node's {@code
 * /api/locks}.
 *
 * <pre>{@code
 * @Bean
 * LockProvider lockProvider(DataSource dataSource) {
 *   return new BatonLockProvider(ClusterLocks.builder(dataSource).nodeId("billing-1").build());
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@code lockAtMostFor} is the lease: a holder that neither unlocks nor extends loses the
 *       lock when it runs out (database clock).
 *   <li>{@code lockAtLeastFor}: an unlock earlier than that after the {@link #lock} call keeps the
 *       lock until then (the lease is shortened to the remainder, see {@link
 *       ClusterLock#releaseAfter(Duration)}).
 *   <li>{@link #lock} tries once and never waits: empty when someone holds the lock, including the
 *       calling thread itself (ShedLock's executor handles nested use of one name).
 *   <li>{@link SimpleLock#extend} sets the lease to {@code lockAtMostFor} from now; the returned
 *       lock replaces the old one. Empty when the lock was already lost.
 *   <li>The owner in the lock table is the {@code ClusterLocks} node id. The fencing token of a
 *       lock is {@link BatonLock#fencingToken()}, and inside a locked task {@link
 *       #fencingToken(String)}.
 * </ul>
 *
 * <p>Lock names follow Baton's rules (at most 190 characters, no control characters); a bad name or
 * a zero {@code lockAtMostFor} is refused with {@link
 * dev.baton.locks.InvalidLockArgumentException}. Database errors surface as ShedLock's {@link
 * net.javacrumbs.shedlock.support.LockException}, carrying Baton's {@link LockException} as the
 * cause.
 */
public final class BatonLockProvider implements ExtensibleLockProvider {
  /** The locks this thread took through any provider and still holds, by name. */
  private static final ThreadLocal<Map<String, BatonLock.Held>> HELD_BY_THREAD =
      ThreadLocal.withInitial(HashMap::new);

  private final ClusterLocks locks;

  /** A provider taking its locks through {@code locks}; their owner is {@code locks.nodeId()}. */
  public BatonLockProvider(ClusterLocks locks) {
    this.locks = Objects.requireNonNull(locks, "locks");
  }

  /** The {@link ClusterLocks} this provider takes its locks through. */
  public ClusterLocks clusterLocks() {
    return locks;
  }

  /**
   * Takes the lock for {@code lockAtMostFor} if nobody holds it, in one statement; empty otherwise.
   * Never waits.
   */
  @Override
  public Optional<SimpleLock> lock(LockConfiguration config) {
    long startedNanos = System.nanoTime();
    String name = config.getName();
    Optional<ClusterLock> taken;
    try {
      taken = locks.tryAcquire(name, config.getLockAtMostFor());
    } catch (LockReentryException e) {
      return Optional.empty();
    } catch (dev.baton.locks.InvalidLockArgumentException e) {
      throw e;
    } catch (LockException e) {
      throw new net.javacrumbs.shedlock.support.LockException(e.getMessage(), e);
    }
    if (taken.isEmpty()) return Optional.empty();
    BatonLock.Held held = new BatonLock.Held(taken.get(), Thread.currentThread());
    HELD_BY_THREAD.get().put(name, held);
    return Optional.of(new BatonLock(held, config.getLockAtLeastFor(), startedNanos));
  }

  /**
   * The fencing token of the lock named {@code name} that the calling thread took through a {@code
   * BatonLockProvider} and has not unlocked; empty otherwise. Inside a {@code @SchedulerLock}
   * method (or a task run by ShedLock's {@code LockingTaskExecutor}) this is the running task's
   * token: send it with every write and have the resource refuse tokens lower than the highest it
   * has seen.
   */
  public static OptionalLong fencingToken(String name) {
    BatonLock.Held held = HELD_BY_THREAD.get().get(name);
    return held == null || held.ended()
        ? OptionalLong.empty()
        : OptionalLong.of(held.lock().fencingToken());
  }

  /** Forgets {@code held} in the calling thread's map, if it is there. */
  static void forget(BatonLock.Held held) {
    if (held.thread() != Thread.currentThread()) return;
    Map<String, BatonLock.Held> mine = HELD_BY_THREAD.get();
    mine.remove(held.lock().name(), held);
    if (mine.isEmpty()) HELD_BY_THREAD.remove();
  }

  @Override
  public String toString() {
    return "BatonLockProvider[node " + locks.nodeId() + "]";
  }
}
