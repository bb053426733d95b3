package dev.baton.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FiringLeadTest {
  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void startsAtQuartzsTwoMillisecondsBeforeAnyFiringIsTimed() {
    assertThat(new FiringLead().millis()).isEqualTo(2);
  }

  @Test
  void steadyFiringsLeadByAboutTheirDuration() {
    FiringLead lead = new FiringLead();
    for (int i = 0; i < 100; i++) lead.took(ms(4));
    assertThat(lead.millis()).isEqualTo(4);
  }

  @Test
  void jitterWidensTheLeadBeyondTheMean() {
    FiringLead lead = new FiringLead();
    for (int i = 0; i < 100; i++) lead.took(ms(i % 2 == 0 ? 2 : 6));
    // Mean 4 ms, mean deviation 2 ms: the lead covers the slow ones with room to spare.
    assertThat(lead.millis()).isBetween(8L, 13L);
  }

  @Test
  void neverLeadsByMoreThanItsBoundHoweverSlowTheDatabase() {
    FiringLead lead = new FiringLead();
    for (int i = 0; i < 20; i++) lead.took(ms(400));
    assertThat(lead.millis()).isEqualTo(FiringLead.MAX_MILLIS);
  }

  @Test
  void aSingleSlowFiringDoesNotStickOnceFiringsAreFastAgain() {
    FiringLead lead = new FiringLead();
    for (int i = 0; i < 50; i++) lead.took(ms(3));
    lead.took(ms(200));
    assertThat(lead.millis()).isEqualTo(FiringLead.MAX_MILLIS);
    for (int i = 0; i < 60; i++) lead.took(ms(3));
    assertThat(lead.millis()).isLessThanOrEqualTo(4);
  }

  @Test
  void aNegativeDurationIsIgnored() {
    FiringLead lead = new FiringLead();
    lead.took(-5);
    assertThat(lead.millis()).isEqualTo(2);
  }
}
