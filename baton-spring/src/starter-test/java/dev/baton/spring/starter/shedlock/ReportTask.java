package dev.baton.spring.starter.shedlock;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** The locked task: every instance schedules it, one at a time may run it. */
@Component
public class ReportTask {
  private final RunLog runLog;

  public ReportTask(RunLog runLog) {
    this.runLog = runLog;
  }

  @Scheduled(fixedDelay = 20)
  @SchedulerLock(name = "report")
  public void report() throws InterruptedException {
    runLog.record(
        "report", () -> Thread.sleep(100)); // the work: long enough for runs to overlap unlocked
  }
}
