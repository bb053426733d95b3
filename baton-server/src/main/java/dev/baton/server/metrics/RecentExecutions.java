package dev.baton.server.metrics;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * This node's executions of the last few minutes, in time buckets, and its latest failures: what
 * the dashboard draws until cluster-wide execution history is available. Thread-safe.
 */
public final class RecentExecutions {
  /** Executions finished within one bucket. */
  public record Bucket(Instant start, long succeeded, long failed) {}

  /** One failed execution. */
  public record Failure(Instant at, String task, String error) {}

  private static final int MAX_FAILURES = 20;

  private final Clock clock;
  private final long bucketMillis;
  private final int buckets;
  private final long[] succeeded;
  private final long[] failed;
  private final long[] bucketIndex;
  private final Deque<Failure> failures = new ArrayDeque<>();

  public RecentExecutions(Clock clock, long bucketMillis, int buckets) {
    this.clock = clock;
    this.bucketMillis = bucketMillis;
    this.buckets = buckets;
    this.succeeded = new long[buckets];
    this.failed = new long[buckets];
    this.bucketIndex = new long[buckets];
    java.util.Arrays.fill(bucketIndex, -1);
  }

  /** Records one finished execution; {@code failure} null for success. */
  public synchronized void record(String task, Throwable failure) {
    long now = clock.millis();
    int slot = slot(now / bucketMillis);
    if (failure == null) {
      succeeded[slot]++;
    } else {
      failed[slot]++;
      Throwable root = failure.getCause() != null ? failure.getCause() : failure;
      String message = root.getMessage() != null ? root.getMessage() : root.getClass().getName();
      failures.addFirst(new Failure(Instant.ofEpochMilli(now), task, message));
      while (failures.size() > MAX_FAILURES) failures.removeLast();
    }
  }

  /** The buckets of the window, oldest first, empty ones included. */
  public synchronized List<Bucket> buckets() {
    long current = clock.millis() / bucketMillis;
    List<Bucket> out = new ArrayList<>(buckets);
    for (long i = current - buckets + 1; i <= current; i++) {
      int slot = (int) Math.floorMod(i, (long) buckets);
      boolean live = bucketIndex[slot] == i;
      out.add(
          new Bucket(
              Instant.ofEpochMilli(i * bucketMillis),
              live ? succeeded[slot] : 0,
              live ? failed[slot] : 0));
    }
    return out;
  }

  /** The latest failures, newest first. */
  public synchronized List<Failure> failures() {
    return List.copyOf(failures);
  }

  public long bucketMillis() {
    return bucketMillis;
  }

  private int slot(long index) {
    int slot = (int) Math.floorMod(index, (long) buckets);
    if (bucketIndex[slot] != index) {
      bucketIndex[slot] = index;
      succeeded[slot] = 0;
      failed[slot] = 0;
    }
    return slot;
  }
}
