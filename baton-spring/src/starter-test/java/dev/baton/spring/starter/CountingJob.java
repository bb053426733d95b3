package dev.baton.spring.starter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Counts its executions per job name, so a test can wait for a firing. */
public class CountingJob implements Job {
  static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

  public static int runs(String job) {
    return RUNS.getOrDefault(job, new AtomicInteger()).get();
  }

  @Override
  public void execute(JobExecutionContext context) {
    RUNS.computeIfAbsent(context.getJobDetail().getKey().getName(), k -> new AtomicInteger())
        .incrementAndGet();
  }
}
