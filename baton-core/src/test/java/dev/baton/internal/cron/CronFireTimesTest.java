package dev.baton.internal.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.scheduling.DstPolicy;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quartz.CronScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.spi.OperableTrigger;

/**
 * Fire times across both transitions of 2026 in three zones, as the README's DST table says: under
 * {@link DstPolicy#ISC_CRON} each expected time once, and under {@link DstPolicy#QUARTZ} exactly
 * what stock Quartz's cron trigger answers. Each sequence is what a trigger walks through firing
 * after firing ({@code triggered()}); the ISC expectations differ from stock Quartz's wherever the
 * transition touches the schedule, so they fail on a plain {@code CronTriggerImpl}.
 */
class CronFireTimesTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId LORD_HOWE = ZoneId.of("Australia/Lord_Howe");

  // Paris 2026: 02:00 CET -> 03:00 CEST on 29 March; 03:00 CEST -> 02:00 CET on 25 October.

  @Test
  void parisFixedTimeInTheSkippedHourRunsOnceAtTheJump() {
    assertThat(isc(PARIS, "0 30 2 * * ?", "2026-03-28T12:00", 3))
        .containsExactly(
            "2026-03-29T03:00+02:00", "2026-03-30T02:30+02:00", "2026-03-31T02:30+02:00");
  }

  @Test
  void parisFixedTimeInTheRepeatedHourRunsOnceInItsFirstOccurrence() {
    assertThat(isc(PARIS, "0 30 2 * * ?", "2026-10-24T12:00", 3))
        .containsExactly(
            "2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00", "2026-10-27T02:30+01:00");
  }

  @Test
  void parisHourlyRunsEveryRealHourThroughBothTransitions() {
    assertThat(isc(PARIS, "0 0 * * * ?", "2026-03-29T00:30", 3))
        .containsExactly(
            "2026-03-29T01:00+01:00", "2026-03-29T03:00+02:00", "2026-03-29T04:00+02:00");
    assertThat(isc(PARIS, "0 0 * * * ?", "2026-10-25T00:30", 4))
        .containsExactly(
            "2026-10-25T01:00+02:00",
            "2026-10-25T02:00+02:00",
            "2026-10-25T02:00+01:00",
            "2026-10-25T03:00+01:00");
  }

  @Test
  void parisEveryFifteenMinutesRunsEveryFifteenRealMinutesThroughBothTransitions() {
    List<String> spring = isc(PARIS, "0 */15 * * * ?", "2026-03-29T01:20", 4);
    assertThat(spring)
        .containsExactly(
            "2026-03-29T01:30+01:00",
            "2026-03-29T01:45+01:00",
            "2026-03-29T03:00+02:00",
            "2026-03-29T03:15+02:00");
    List<String> autumn = isc(PARIS, "0 */15 * * * ?", "2026-10-25T01:40", 11);
    assertThat(autumn)
        .containsExactly(
            "2026-10-25T01:45+02:00",
            "2026-10-25T02:00+02:00",
            "2026-10-25T02:15+02:00",
            "2026-10-25T02:30+02:00",
            "2026-10-25T02:45+02:00",
            "2026-10-25T02:00+01:00",
            "2026-10-25T02:15+01:00",
            "2026-10-25T02:30+01:00",
            "2026-10-25T02:45+01:00",
            "2026-10-25T03:00+01:00",
            "2026-10-25T03:15+01:00");
    assertEvery(autumn, 15);
    assertEvery(spring, 15);
  }

  @Test
  void parisRangeAndStepHourFieldsRunInEveryRealHour() {
    assertThat(isc(PARIS, "0 0 1-3 * * ?", "2026-03-29T00:30", 3))
        .containsExactly(
            "2026-03-29T01:00+01:00", "2026-03-29T03:00+02:00", "2026-03-30T01:00+02:00");
    assertThat(isc(PARIS, "0 0 1-3 * * ?", "2026-10-25T00:30", 5))
        .containsExactly(
            "2026-10-25T01:00+02:00",
            "2026-10-25T02:00+02:00",
            "2026-10-25T02:00+01:00",
            "2026-10-25T03:00+01:00",
            "2026-10-26T01:00+01:00");
    // 02:00 does not exist on 29 March: a periodic schedule has nothing to catch up.
    assertThat(isc(PARIS, "0 0 */2 * * ?", "2026-03-29T00:30", 2))
        .containsExactly("2026-03-29T04:00+02:00", "2026-03-29T06:00+02:00");
    assertThat(isc(PARIS, "0 0 */2 * * ?", "2026-10-25T00:30", 3))
        .containsExactly(
            "2026-10-25T02:00+02:00", "2026-10-25T02:00+01:00", "2026-10-25T04:00+01:00");
  }

  // New York 2026: 02:00 EST -> 03:00 EDT on 8 March; 02:00 EDT -> 01:00 EST on 1 November.

  @Test
  void newYorkFixedTimes() {
    assertThat(isc(NEW_YORK, "0 30 2 * * ?", "2026-03-07T12:00", 2))
        .containsExactly("2026-03-08T03:00-04:00", "2026-03-09T02:30-04:00");
    // 02:30 is not repeated in New York (01:00 to 02:00 is): once, as on any day.
    assertThat(isc(NEW_YORK, "0 30 2 * * ?", "2026-10-31T12:00", 2))
        .containsExactly("2026-11-01T02:30-05:00", "2026-11-02T02:30-05:00");
    assertThat(isc(NEW_YORK, "0 30 1 * * ?", "2026-10-31T12:00", 2))
        .containsExactly("2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00");
  }

  @Test
  void newYorkPeriodicSchedules() {
    assertThat(isc(NEW_YORK, "0 0 * * * ?", "2026-03-08T00:30", 3))
        .containsExactly(
            "2026-03-08T01:00-05:00", "2026-03-08T03:00-04:00", "2026-03-08T04:00-04:00");
    assertThat(isc(NEW_YORK, "0 0 * * * ?", "2026-11-01T00:30", 3))
        .containsExactly(
            "2026-11-01T01:00-04:00", "2026-11-01T01:00-05:00", "2026-11-01T02:00-05:00");
    List<String> autumn = isc(NEW_YORK, "0 */15 * * * ?", "2026-11-01T00:50", 10);
    assertThat(autumn).doesNotHaveDuplicates().hasSize(10);
    assertEvery(autumn, 15);
    assertThat(isc(NEW_YORK, "0 0 1-3 * * ?", "2026-11-01T00:30", 4))
        .containsExactly(
            "2026-11-01T01:00-04:00",
            "2026-11-01T01:00-05:00",
            "2026-11-01T02:00-05:00",
            "2026-11-01T03:00-05:00");
    assertThat(isc(NEW_YORK, "0 0 */2 * * ?", "2026-03-08T00:30", 2))
        .containsExactly("2026-03-08T04:00-04:00", "2026-03-08T06:00-04:00");
  }

  // Lord Howe 2026: 02:00 (+10:30) -> 02:30 (+11:00) on 4 October; 02:00 (+11:00) -> 01:30
  // (+10:30) on 5 April. A 30-minute shift.

  @Test
  void lordHoweFixedTimes() {
    assertThat(isc(LORD_HOWE, "0 15 2 * * ?", "2026-10-03T12:00", 2))
        .containsExactly("2026-10-04T02:30+11:00", "2026-10-05T02:15+11:00");
    assertThat(isc(LORD_HOWE, "0 15 2 * * ?", "2026-04-04T12:00", 2))
        .containsExactly("2026-04-05T02:15+10:30", "2026-04-06T02:15+10:30");
    assertThat(isc(LORD_HOWE, "0 45 1 * * ?", "2026-04-04T12:00", 2))
        .containsExactly("2026-04-05T01:45+11:00", "2026-04-06T01:45+10:30");
  }

  @Test
  void lordHowePeriodicSchedules() {
    assertThat(isc(LORD_HOWE, "0 */15 * * * ?", "2026-10-04T01:20", 3))
        .containsExactly(
            "2026-10-04T01:30+10:30", "2026-10-04T01:45+10:30", "2026-10-04T02:30+11:00");
    List<String> autumn = isc(LORD_HOWE, "0 */15 * * * ?", "2026-04-05T01:10", 6);
    assertThat(autumn)
        .containsExactly(
            "2026-04-05T01:15+11:00",
            "2026-04-05T01:30+11:00",
            "2026-04-05T01:45+11:00",
            "2026-04-05T01:30+10:30",
            "2026-04-05T01:45+10:30",
            "2026-04-05T02:00+10:30");
    assertEvery(autumn, 15);
    assertThat(isc(LORD_HOWE, "0 0 * * * ?", "2026-10-04T00:30", 2))
        .containsExactly("2026-10-04T01:00+10:30", "2026-10-04T03:00+11:00");
    assertThat(isc(LORD_HOWE, "0 0 1-3 * * ?", "2026-10-04T00:30", 3))
        .containsExactly(
            "2026-10-04T01:00+10:30", "2026-10-04T03:00+11:00", "2026-10-05T01:00+11:00");
    assertThat(isc(LORD_HOWE, "0 0 */2 * * ?", "2026-04-05T00:30", 2))
        .containsExactly("2026-04-05T02:00+10:30", "2026-04-05T04:00+10:30");
  }

  /** The option: stock Quartz's answers, step for step, where the ISC rule differs from them. */
  @ParameterizedTest
  @CsvSource({
    "Europe/Paris, 0 30 2 * * ?, 2026-03-28T12:00",
    "Europe/Paris, 0 30 2 * * ?, 2026-10-24T12:00",
    "Europe/Paris, 0 0 * * * ?, 2026-10-25T00:30",
    "Europe/Paris, 0 */15 * * * ?, 2026-10-25T01:40",
    "Europe/Paris, 0 0 1-3 * * ?, 2026-10-25T00:30",
    "Europe/Paris, 0 0 */2 * * ?, 2026-10-25T00:30",
    "America/New_York, 0 30 2 * * ?, 2026-03-07T12:00",
    "America/New_York, 0 30 1 * * ?, 2026-10-31T12:00",
    "America/New_York, 0 0 * * * ?, 2026-11-01T00:30",
    "Australia/Lord_Howe, 0 15 2 * * ?, 2026-10-03T12:00",
    "Australia/Lord_Howe, 0 45 1 * * ?, 2026-04-04T12:00",
    "Australia/Lord_Howe, 0 */15 * * * ?, 2026-04-05T01:10",
  })
  void theQuartzOptionGivesStockQuartzAnswers(String zone, String expression, String from) {
    ZoneId z = ZoneId.of(zone);
    List<String> stock = stockTrigger(z, expression, from, 12);
    assertThat(times(z, expression, DstPolicy.QUARTZ, from, 12)).isEqualTo(stock);
    assertThat(trigger(z, expression, DstPolicy.QUARTZ, from, 12)).isEqualTo(stock);
    // ...and the default differs from them: these are the cases the policy is for.
    assertThat(trigger(z, expression, DstPolicy.ISC_CRON, from, 12)).isNotEqualTo(stock);
  }

  /** The trigger Baton stores and reads back follows the same sequence as the rule itself. */
  @ParameterizedTest
  @CsvSource({
    "Europe/Paris, 0 30 2 * * ?, 2026-03-28T12:00",
    "Europe/Paris, 0 */15 * * * ?, 2026-10-25T01:40",
    "Australia/Lord_Howe, 0 45 1 * * ?, 2026-04-04T12:00",
  })
  void theTriggerFollowsTheRule(String zone, String expression, String from) {
    ZoneId z = ZoneId.of(zone);
    assertThat(trigger(z, expression, DstPolicy.ISC_CRON, from, 12))
        .isEqualTo(isc(z, expression, from, 12));
  }

  @Test
  void fixedTimeMeansPlainValuesInTheMinuteAndHourFields() {
    assertThat(CronFireTimes.isFixedTime("0 30 2 * * ?")).isTrue();
    assertThat(CronFireTimes.isFixedTime("0 0,30 2,14 * * ?")).isTrue();
    assertThat(CronFireTimes.isFixedTime("*/10 30 2 ? * MON-FRI")).isTrue();
    assertThat(CronFireTimes.isFixedTime("0 0 * * * ?")).isFalse();
    assertThat(CronFireTimes.isFixedTime("0 0 1-3 * * ?")).isFalse();
    assertThat(CronFireTimes.isFixedTime("0 0 */2 * * ?")).isFalse();
    assertThat(CronFireTimes.isFixedTime("0 0 1,3-5 * * ?")).isFalse();
    assertThat(CronFireTimes.isFixedTime("0 0/15 2 * * ?")).isFalse();
  }

  @Test
  void severalTimesSkippedByOneJumpMakeOneFiringAtTheJump() {
    assertThat(isc(PARIS, "0 0,30 2 * * ?", "2026-03-29T00:00", 3))
        .containsExactly(
            "2026-03-29T03:00+02:00", "2026-03-30T02:00+02:00", "2026-03-30T02:30+02:00");
    // A skipped time and the jump's own time: one firing, at 03:00.
    assertThat(isc(PARIS, "0 0 2,3 * * ?", "2026-03-29T00:00", 3))
        .containsExactly(
            "2026-03-29T03:00+02:00", "2026-03-30T02:00+02:00", "2026-03-30T03:00+02:00");
  }

  @Test
  void fromInsideTheRepeatedHourAFixedTimeDoesNotRunAgainButAPeriodicOneGoesOn() {
    Instant secondCopy = Instant.parse("2026-10-25T01:10:00Z"); // 02:10 +01:00
    assertThat(CronFireTimes.of("0 30 2 * * ?", PARIS, DstPolicy.ISC_CRON).next(secondCopy))
        .isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
    assertThat(CronFireTimes.of("0 */15 * * * ?", PARIS, DstPolicy.ISC_CRON).next(secondCopy))
        .isEqualTo(Instant.parse("2026-10-25T01:15:00Z"));
    Instant firstCopy = Instant.parse("2026-10-25T00:40:00Z"); // 02:40 +02:00
    assertThat(CronFireTimes.of("0 30 2 * * ?", PARIS, DstPolicy.ISC_CRON).next(firstCopy))
        .isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
    assertThat(CronFireTimes.of("0 */15 * * * ?", PARIS, DstPolicy.ISC_CRON).next(firstCopy))
        .isEqualTo(Instant.parse("2026-10-25T00:45:00Z"));
  }

  @Test
  void aScheduleThatNeverFiresAgainHasNoNextTime() {
    assertThat(
            CronFireTimes.of("0 0 0 1 1 ? 2020", PARIS, DstPolicy.ISC_CRON)
                .next(Instant.parse("2026-01-01T00:00:00Z")))
        .isNull();
  }

  @Test
  void aZoneWithoutTransitionsIsUntouched() {
    assertThat(isc(ZoneId.of("UTC"), "0 30 2 * * ?", "2026-03-28T12:00", 2))
        .containsExactly("2026-03-29T02:30Z", "2026-03-30T02:30Z");
  }

  @Test
  void anUnknownPolicyInTriggerDataIsNamed() {
    assertThatThrownBy(
            () -> DstPolicy.fromTriggerData(java.util.Map.of(DstPolicy.TRIGGER_DATA_KEY, "VIXIE")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'VIXIE'")
        .hasMessageContaining("ISC_CRON or QUARTZ");
  }

  private static List<String> isc(ZoneId zone, String expression, String from, int n) {
    return times(zone, expression, DstPolicy.ISC_CRON, from, n);
  }

  private static List<String> times(
      ZoneId zone, String expression, DstPolicy policy, String from, int n) {
    CronFireTimes times = CronFireTimes.of(expression, zone, policy);
    Instant t = LocalDateTime.parse(from).atZone(zone).toInstant();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      t = times.next(t);
      out.add(t.atZone(zone).toOffsetDateTime().toString());
    }
    return out;
  }

  /** What a {@link DstCronTrigger} walks through, firing after firing. */
  private static List<String> trigger(
      ZoneId zone, String expression, DstPolicy policy, String from, int n) {
    TriggerBuilder<org.quartz.CronTrigger> b =
        TriggerBuilder.newTrigger()
            .withSchedule(
                new DstCronScheduleBuilder(
                    expression,
                    TimeZone.getTimeZone(zone),
                    Trigger.MISFIRE_INSTRUCTION_SMART_POLICY))
            .startAt(Date.from(LocalDateTime.parse(from).atZone(zone).toInstant()));
    if (policy != DstPolicy.ISC_CRON) b.usingJobData(DstPolicy.TRIGGER_DATA_KEY, policy.name());
    return walk((OperableTrigger) b.build(), zone, n);
  }

  /** What stock Quartz's cron trigger walks through (today's behaviour). */
  private static List<String> stockTrigger(ZoneId zone, String expression, String from, int n) {
    return walk(
        (OperableTrigger)
            TriggerBuilder.newTrigger()
                .withSchedule(
                    CronScheduleBuilder.cronSchedule(expression)
                        .inTimeZone(TimeZone.getTimeZone(zone)))
                .startAt(Date.from(LocalDateTime.parse(from).atZone(zone).toInstant()))
                .build(),
        zone,
        n);
  }

  private static List<String> walk(OperableTrigger t, ZoneId zone, int n) {
    t.computeFirstFireTime(null);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(t.getNextFireTime().toInstant().atZone(zone).toOffsetDateTime().toString());
      t.triggered(null);
    }
    return out;
  }

  private static void assertEvery(List<String> times, int minutes) {
    for (int i = 1; i < times.size(); i++) {
      Instant a = java.time.OffsetDateTime.parse(times.get(i - 1)).toInstant();
      Instant b = java.time.OffsetDateTime.parse(times.get(i)).toInstant();
      assertThat(java.time.Duration.between(a, b).toMinutes()).as(times.get(i)).isEqualTo(minutes);
    }
  }
}
