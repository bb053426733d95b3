package dev.baton.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quartz.CronScheduleBuilder.cronSchedule;
import static org.quartz.SimpleScheduleBuilder.simpleSchedule;
import static org.quartz.TriggerBuilder.newTrigger;

import java.util.Date;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.quartz.ScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.impl.triggers.SimpleTriggerImpl;
import org.quartz.spi.OperableTrigger;

/** The rule of what a replaced trigger keeps ({@link TriggerProgress}), on triggers in memory. */
class TriggerProgressTest {
  private static final long T0 = 1_800_000_000_000L; // a whole second

  @Test
  void anUnchangedScheduleKeepsTheStoredFireTimesStartAndCount() {
    OperableTrigger stored = fired(trigger(cronSchedule("* * * * * ?"), T0), 5);
    OperableTrigger wanted = trigger(cronSchedule("* * * * * ?"), T0 + 2000);
    wanted.setPriority(9);
    new TriggerProgress(stored, "WAITING").applyTo(wanted);
    assertThat(wanted.getNextFireTime()).isEqualTo(stored.getNextFireTime());
    assertThat(wanted.getPreviousFireTime()).isEqualTo(stored.getPreviousFireTime());
    assertThat(wanted.getStartTime()).isEqualTo(stored.getStartTime());
    assertThat(wanted.getPriority()).isEqualTo(9);

    OperableTrigger simple = fired(trigger(every(1000), T0 + 300), 4);
    OperableTrigger again = trigger(every(1000), T0 + 2000);
    new TriggerProgress(simple, "WAITING").applyTo(again);
    assertThat(again.getNextFireTime()).isEqualTo(new Date(T0 + 4300));
    assertThat(((SimpleTriggerImpl) again).getTimesTriggered()).isEqualTo(4);
    // Its later fire times stay on the stored grid.
    assertThat(again.getFireTimeAfter(again.getNextFireTime())).isEqualTo(new Date(T0 + 5300));
  }

  @Test
  void aChangedScheduleNeverFiresAtOrBeforeTheStoredPreviousFireTime() {
    OperableTrigger stored = fired(trigger(cronSchedule("* * * * * ?"), T0), 5); // last: T0+4s
    OperableTrigger wanted = trigger(cronSchedule("0/2 * * * * ?"), T0 + 1000);
    new TriggerProgress(stored, "WAITING").applyTo(wanted);
    assertThat(wanted.getNextFireTime()).isEqualTo(new Date(T0 + 6000));

    // One already past the last firing keeps its own first fire time.
    OperableTrigger later = trigger(cronSchedule("0/2 * * * * ?"), T0 + 9000);
    new TriggerProgress(stored, "WAITING").applyTo(later);
    assertThat(later.getNextFireTime()).isEqualTo(new Date(T0 + 10000));
  }

  @Test
  void theStartTimeCountsOnlyWhereItIsTheSchedule() {
    assertThat(
            TriggerProgress.sameSchedule(trigger(every(1000), T0), trigger(every(1000), T0 + 7000)))
        .isTrue();
    assertThat(TriggerProgress.sameSchedule(once(T0), once(T0 + 700))).isFalse();
    assertThat(TriggerProgress.sameSchedule(once(T0), once(T0))).isTrue();
    assertThat(
            TriggerProgress.sameSchedule(
                trigger(cronSchedule("* * * * * ?").inTimeZone(TimeZone.getTimeZone("UTC")), T0),
                trigger(
                    cronSchedule("* * * * * ?").inTimeZone(TimeZone.getTimeZone("Asia/Tokyo")),
                    T0)))
        .isFalse();
    OperableTrigger ending = trigger(every(1000), T0);
    ending.setEndTime(new Date(T0 + 60_000));
    assertThat(TriggerProgress.sameSchedule(trigger(every(1000), T0), ending)).isFalse();
    assertThat(
            TriggerProgress.sameSchedule(
                trigger(every(1000), T0), trigger(cronSchedule("* * * * * ?"), T0)))
        .isFalse();
  }

  @Test
  void aPausedTriggerStaysPaused() {
    OperableTrigger stored = trigger(every(1000), T0);
    assertThat(new TriggerProgress(stored, "PAUSED").paused()).isTrue();
    assertThat(new TriggerProgress(stored, "PAUSED_BLOCKED").paused()).isTrue();
    assertThat(new TriggerProgress(stored, "BLOCKED").paused()).isFalse();
  }

  private static ScheduleBuilder<? extends Trigger> every(long millis) {
    return simpleSchedule().withIntervalInMilliseconds(millis).repeatForever();
  }

  private static OperableTrigger once(long at) {
    return trigger(simpleSchedule(), at);
  }

  private static OperableTrigger trigger(ScheduleBuilder<? extends Trigger> schedule, long start) {
    OperableTrigger t =
        (OperableTrigger)
            newTrigger()
                .withIdentity("t", "g")
                .forJob("j", "g")
                .startAt(new Date(start))
                .withSchedule(schedule)
                .build();
    t.computeFirstFireTime(null);
    return t;
  }

  /** {@code t} after {@code times} firings. */
  private static OperableTrigger fired(OperableTrigger t, int times) {
    for (int i = 0; i < times; i++) t.triggered(null);
    return t;
  }
}
