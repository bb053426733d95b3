package dev.baton.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class BatonQuartzVersionCheckTest {
  @Test
  void comparesDottedVersions() {
    assertThat(QuartzVersionCheck.atLeast("2.5.2", "2.5.2")).isTrue();
    assertThat(QuartzVersionCheck.atLeast("2.5.10", "2.5.2")).isTrue();
    assertThat(QuartzVersionCheck.atLeast("2.6.0-SNAPSHOT", "2.5.2")).isTrue();
    assertThat(QuartzVersionCheck.atLeast("2.5.0", "2.5.2")).isFalse();
    assertThat(QuartzVersionCheck.atLeast("2.4.9", "2.5.2")).isFalse();
  }

  @Test
  void acceptsTheQuartzBatonIsBuiltOn() {
    assertThatCode(QuartzVersionCheck::require).doesNotThrowAnyException();
  }

  @Test
  void failureAnalysisNamesTheFix() {
    BatonFailureDescription d =
        BatonFailureDescription.of(
            new IllegalStateException(new UnsupportedQuartzVersionException("2.5.0", "2.5.2")));
    assertThat(d.description()).contains("Quartz 2.5.0");
    assertThat(d.action()).contains("<quartz.version>2.5.2</quartz.version>");
  }
}
