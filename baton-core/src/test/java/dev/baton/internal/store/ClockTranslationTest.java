package dev.baton.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.internal.database.DatabaseClock;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.quartz.impl.triggers.SimpleTriggerImpl;
import org.quartz.spi.OperableTrigger;

/**
 * The scheduler thread compares like with like: the trigger times it is handed and the new fire
 * times it is signalled are both its wall clock less the firing lead.
 */
class ClockTranslationTest {
  @Test
  void aSignalledFireTimeIsShiftedAsTheTriggerTimesHandedOutAre() throws Exception {
    FiringLead lead = new FiringLead();
    for (int i = 0; i < 50; i++) lead.took(TimeUnit.MILLISECONDS.toNanos(10));
    assertThat(lead.millis()).isEqualTo(10);
    // No database: the clock answers this node's wall clock, offset 0.
    ClockTranslation translation = new ClockTranslation(new DatabaseClock(null, ""), "n", lead);

    long due = System.currentTimeMillis() + 60_000;
    SimpleTriggerImpl trigger = new SimpleTriggerImpl();
    trigger.setNextFireTime(new Date(due));
    trigger.setFireInstanceId("f1");
    List<OperableTrigger> handed =
        translation.acquire(due, 1, 0, (noLaterThan, max, window) -> List.of(trigger));

    assertThat(handed.get(0).getNextFireTime().getTime()).isEqualTo(due - 10);
    assertThat(translation.signalled(due)).isEqualTo(due - 10);
    assertThat(translation.signalled(0)).as("'some change' stays as it is").isZero();
  }
}
