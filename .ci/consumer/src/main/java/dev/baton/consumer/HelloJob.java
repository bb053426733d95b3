package dev.baton.consumer;

import java.util.concurrent.CountDownLatch;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Counts its firings down on {@link #FIRED}; public with a public constructor, as Baton needs. */
public final class HelloJob implements Job {
  /** Released by the first firing. */
  static final CountDownLatch FIRED = new CountDownLatch(1);

  @Override
  public void execute(JobExecutionContext context) {
    FIRED.countDown();
  }
}
