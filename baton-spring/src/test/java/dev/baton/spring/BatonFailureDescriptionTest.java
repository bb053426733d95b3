package dev.baton.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.DatabaseUnavailableException;
import dev.baton.InvalidSettingException;
import org.junit.jupiter.api.Test;

class BatonFailureDescriptionTest {
  @Test
  void namesThePropertyAValueCameFrom() {
    Throwable failure =
        new IllegalStateException(
            "bean creation",
            new InvalidBatonPropertyException(
                "baton.checkin-interval",
                new InvalidSettingException("checkinInterval", "PT0S", "give at least PT0.1S")));
    BatonFailureDescription d = BatonFailureDescription.of(failure);
    assertThat(d.description()).contains("'baton.checkin-interval'").contains("PT0S");
    assertThat(d.action()).contains("'baton.checkin-interval'").contains("give at least PT0.1S");
  }

  @Test
  void namesTheBuilderSettingOfTheApplicationsOwnBaton() {
    BatonFailureDescription d =
        BatonFailureDescription.of(new InvalidSettingException("threads", 0, "give 1 to 1000"));
    assertThat(d.description()).contains("'threads'");
    assertThat(d.action()).contains("BatonBuilder.threads(...)");
  }

  @Test
  void pointsAnUnreachableDatabaseAtTheStartupTimeout() {
    BatonFailureDescription d =
        BatonFailureDescription.of(
            new DatabaseUnavailableException(
                "no answer within PT30S", new RuntimeException("refused")));
    assertThat(d.action()).contains("baton.startup-timeout");
  }

  @Test
  void leavesOtherFailuresToBoot() {
    assertThat(BatonFailureDescription.of(new IllegalStateException(new RuntimeException("x"))))
        .isNull();
  }
}
