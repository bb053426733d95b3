package dev.baton.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The delays a {@link RetryPolicy} chooses, and how it reads itself back from job data. */
class RetryPolicyTest {
  private static final RetryPolicy POLICY =
      RetryPolicy.attempts(10)
          .backoff(Duration.ofMillis(100), Duration.ofMillis(1000))
          .jitter(0.2)
          .build();

  @Test
  void delaysDoubleFromTheInitialOneUpToTheCap() {
    assertThat(delays(0.5))
        .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L, 1000L, 1000L);
  }

  @Test
  void jitterStaysWithinItsFractionOfEachDelay() {
    // random 0 gives the low edge of the band, random just below 1 its high edge.
    assertThat(delays(0.0)).containsExactly(80L, 160L, 320L, 640L, 800L, 800L, 800L, 800L, 800L);
    assertThat(delays(0.999_999))
        .containsExactly(120L, 240L, 480L, 960L, 1200L, 1200L, 1200L, 1200L, 1200L);
  }

  @Test
  void aDelayIsNeverBelowOneMillisecond() {
    RetryPolicy p =
        RetryPolicy.attempts(2)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
            .jitter(1)
            .build();
    assertThat(p.delayBefore(2, () -> 0.0)).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void onlyListedTypesAndTheirSubclassesAreRetriedAlsoAsCauses() {
    RetryPolicy p = RetryPolicy.attempts(2).retryOn(IOException.class).build();
    assertThat(p.retries(new java.io.FileNotFoundException())).isTrue();
    assertThat(p.retries(new UncheckedIOException(new IOException()))).isTrue();
    assertThat(p.retries(new IllegalStateException())).isFalse();
  }

  @Test
  void aPolicyReadsBackFromItsJobDataAndInvalidDataIsRefusedByKey() {
    assertThat(RetryPolicy.fromData(POLICY.toData())).isEqualTo(POLICY);
    assertThat(RetryPolicy.fromData(Map.of())).isNull();
    assertThatThrownBy(() -> RetryPolicy.fromData(Map.of(RetryPolicy.MAX_ATTEMPTS_KEY, "-1")))
        .isInstanceOfSatisfying(
            InvalidRetryPolicyException.class,
            e -> assertThat(e.field()).isEqualTo(RetryPolicy.MAX_ATTEMPTS_KEY));
    assertThatThrownBy(
            () ->
                RetryPolicy.fromData(
                    Map.of(RetryPolicy.MAX_ATTEMPTS_KEY, "2", RetryPolicy.JITTER_KEY, "2")))
        .isInstanceOfSatisfying(
            InvalidRetryPolicyException.class,
            e -> assertThat(e.field()).isEqualTo(RetryPolicy.JITTER_KEY));
    assertThatThrownBy(() -> RetryPolicy.fromData(Map.of(RetryPolicy.INITIAL_DELAY_KEY, "100")))
        .isInstanceOfSatisfying(
            InvalidRetryPolicyException.class,
            e -> assertThat(e.field()).isEqualTo(RetryPolicy.MAX_ATTEMPTS_KEY));
  }

  /** The delays before attempts 2 to 10, in milliseconds, with the jitter's random fixed. */
  private static Long[] delays(double random) {
    Long[] out = new Long[9];
    for (int next = 2; next <= 10; next++)
      out[next - 2] = POLICY.delayBefore(next, () -> random).toMillis();
    return out;
  }
}
