package dev.baton.bench;

import dev.baton.internal.VirtualThreads;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Many I/O-bound one-off jobs (each waits {@code ioMillis}, as a job calling a slow service does)
 * drained by one node: 10 platform threads, as many platform threads as the wide run, and as many
 * virtual threads (Java 21+ only). Reports jobs/s and the JVM's peak platform-thread count, which
 * virtual workers do not add to.
 */
final class IoBoundBench {
  /** One run. */
  record Result(
      String name,
      int threads,
      boolean virtual,
      int jobs,
      long ioMillis,
      double perSecond,
      int peakPlatformThreads,
      long duplicates) {}

  private final BenchDatabase server;
  private final int jobs;
  private final long ioMillis;
  private final int wide;

  IoBoundBench(BenchDatabase server, int jobs, long ioMillis, int wide) {
    this.server = server;
    this.jobs = jobs;
    this.ioMillis = ioMillis;
    this.wide = wide;
  }

  List<Result> run() throws Exception {
    List<Result> results = new ArrayList<>();
    BenchJob.ioMillis = ioMillis;
    try {
      results.add(drain(10, false));
      results.add(drain(wide, false));
      if (VirtualThreads.available()) {
        results.add(drain(wide, true));
      } else {
        System.out.println(
            "virtual threads: not on Java "
                + Runtime.version().feature()
                + " (run the bench jar with Java 21+)");
      }
    } finally {
      BenchJob.ioMillis = 0;
    }
    return results;
  }

  private Result drain(int threads, boolean virtual) throws Exception {
    String name = "Baton, " + threads + (virtual ? " virtual" : " platform") + " threads";
    // Completions are written in groups: a pool of 20 serves any width here.
    BatonContender c =
        new BatonContender(
            name,
            b -> b.threads(threads).batchSize(Math.min(2 * threads, 200)).virtualThreads(virtual),
            20);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    mx.resetPeakThreadCount();
    ThroughputBench.Result r = new ThroughputBench(server, jobs).drain(c, 1);
    int peak = mx.getPeakThreadCount();
    Result out =
        new Result(name, threads, virtual, jobs, ioMillis, r.perSecond(), peak, r.duplicates());
    System.out.printf(
        Locale.ROOT,
        "%-36s %,8.0f jobs/s, peak platform threads %d%n",
        name,
        out.perSecond(),
        peak);
    return out;
  }
}
