package io.linkflow.nodes.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cron expressions and intervals: fire times, time zones, daylight saving, refusals. */
class CronTest {

  static final ZoneId UTC = ZoneId.of("UTC");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  /** The next {@code n} fire times after {@code from}, as offset date-times in the zone. */
  static List<String> next(String cron, ZoneId zone, String fromLocal, int n) {
    Cron parsed = Cron.parse(cron);
    Instant at = LocalDateTime.parse(fromLocal).atZone(zone).toInstant();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      at = parsed.nextAfter(at, zone).orElseThrow();
      out.add(OffsetDateTime.ofInstant(at, zone).toString());
    }
    return out;
  }

  @Test
  void sixFieldsHaveSecondsFirstAndFireEveryFiveSeconds() {
    assertThat(next("*/5 * * * * *", UTC, "2024-05-01T10:00:02", 3))
        .containsExactly("2024-05-01T10:00:05Z", "2024-05-01T10:00:10Z", "2024-05-01T10:00:15Z");
    assertThat(next("*/5 * * * * *", UTC, "2024-05-01T10:00:05", 1))
        .as("strictly after")
        .containsExactly("2024-05-01T10:00:10Z");
    assertThat(Cron.parse("*/5 * * * * *").hasSeconds()).isTrue();
    assertThat(Cron.parse("*/5 * * * *").hasSeconds()).isFalse();
  }

  @Test
  void fiveFieldsAreUnixCronInTheScheduleTimeZone() {
    // Friday 2024-01-05 18:00 in Paris: next weekday 09:00 is Monday 08:00 UTC (winter, +01:00)
    assertThat(next("0 9 * * MON-FRI", PARIS, "2024-01-05T18:00", 2))
        .containsExactly("2024-01-08T09:00+01:00", "2024-01-09T09:00+01:00");
    assertThat(next("*/15 * * * *", UTC, "2024-01-01T00:00", 3))
        .containsExactly("2024-01-01T00:15Z", "2024-01-01T00:30Z", "2024-01-01T00:45Z");
    // Unix rule: with both day fields restricted, a day matching either fires
    assertThat(next("0 9 1 * MON", UTC, "2024-01-29T12:00", 2))
        .containsExactly("2024-02-01T09:00Z", "2024-02-05T09:00Z");
  }

  @Test
  void questionMarkAndStarMeanTheSameAndDayNumbersAreUnixInBothForms() {
    List<String> weekdays = next("0 0 9 * * MON-FRI", UTC, "2024-01-05T18:00", 2);
    assertThat(next("0 0 9 ? * MON-FRI", UTC, "2024-01-05T18:00", 2)).isEqualTo(weekdays);
    assertThat(next("0 0 9 ? * 1-5", UTC, "2024-01-05T18:00", 2)).isEqualTo(weekdays);
    assertThat(next("0 9 ? * mon-fri", UTC, "2024-01-05T18:00", 2))
        .isEqualTo(List.of("2024-01-08T09:00Z", "2024-01-09T09:00Z"));
    assertThat(next("0 9 * * 1-5", UTC, "2024-01-05T18:00", 2))
        .isEqualTo(List.of("2024-01-08T09:00Z", "2024-01-09T09:00Z"));
    // 0 and 7 are Sunday (2024-01-07)
    assertThat(next("0 0 9 * * 0", UTC, "2024-01-05T00:00", 1))
        .containsExactly("2024-01-07T09:00Z");
    assertThat(next("0 0 9 * * 7", UTC, "2024-01-05T00:00", 1))
        .containsExactly("2024-01-07T09:00Z");
    assertThat(next("0 9 * * SUN", UTC, "2024-01-05T00:00", 1))
        .containsExactly("2024-01-07T09:00Z");
    assertThat(Cron.parse("0  0 9 ? *  mon-fri").expression()).isEqualTo("0 0 9 * * MON-FRI");
  }

  @Test
  void theSixFieldFormKnowsLastWeekdayAndNthDay() {
    assertThat(next("0 0 9 L * *", UTC, "2024-01-01T00:00", 2))
        .containsExactly("2024-01-31T09:00Z", "2024-02-29T09:00Z");
    assertThat(next("0 0 9 * * 5#2", UTC, "2024-01-01T00:00", 2))
        .as("second Friday")
        .containsExactly("2024-01-12T09:00Z", "2024-02-09T09:00Z");
    assertThat(next("0 0 9 15W * *", UTC, "2024-06-01T00:00", 1))
        .as("15 June 2024 is a Saturday: the nearest weekday is Friday 14th")
        .containsExactly("2024-06-14T09:00Z");
  }

  @Test
  void badExpressionsAreRefusedWithAReason() {
    for (String bad :
        new String[] {
          "* * * *",
          "* * * * * * *",
          "0 60 * * *",
          "a b c d e",
          "61 * * * * *",
          "0 0 30 2 *",
          "0 0 * * 8",
          "",
          "*/0 * * * *"
        }) {
      assertThatThrownBy(() -> Cron.parse(bad))
          .as(bad)
          .isInstanceOf(InvalidTimingException.class)
          .satisfies(e -> assertThat(((InvalidTimingException) e).field()).isEqualTo("cron"))
          .hasMessageNotContaining("Failed to parse");
    }
    assertThatThrownBy(() -> Cron.parse("0 0 30 2 *")).hasMessageContaining("never fires");
    assertThatThrownBy(() -> Cron.parse("* * * *")).hasMessageContaining("5 fields");
    assertThatThrownBy(() -> Cron.parse("0 60 * * *")).hasMessageContaining("60");
  }

  @Test
  void aTimeSkippedBySpringForwardFiresAsLateAsTheClockJumped() {
    // New York, 2024-03-10: 02:00 EST jumps to 03:00 EDT
    assertThat(next("30 2 * * *", NEW_YORK, "2024-03-09T12:00", 3))
        .containsExactly(
            "2024-03-10T03:30-04:00", "2024-03-11T02:30-04:00", "2024-03-12T02:30-04:00");
    assertThat(next("0 30 2 * * *", PARIS, "2024-03-30T12:00", 2))
        .as("Paris, 2024-03-31 02:00 CET jumps to 03:00 CEST")
        .containsExactly("2024-03-31T03:30+02:00", "2024-04-01T02:30+02:00");
    assertThat(next("*/5 * * * * *", NEW_YORK, "2024-03-10T01:59:50", 3))
        .containsExactly(
            "2024-03-10T01:59:55-05:00", "2024-03-10T03:00-04:00", "2024-03-10T03:00:05-04:00");
    // an hourly expression: the 02:30 that does not exist and 03:30 are the same instant, once
    assertThat(next("30 * * * *", NEW_YORK, "2024-03-10T01:00", 3))
        .containsExactly(
            "2024-03-10T01:30-05:00", "2024-03-10T03:30-04:00", "2024-03-10T04:30-04:00");
  }

  @Test
  void aFixedTimeRepeatedByFallBackFiresOnceAndFrequentSchedulesKeepTheirPace() {
    // New York, 2024-11-03: 02:00 EDT goes back to 01:00 EST
    assertThat(next("30 1 * * *", NEW_YORK, "2024-11-02T12:00", 2))
        .containsExactly("2024-11-03T01:30-04:00", "2024-11-04T01:30-05:00");
    assertThat(next("0 * * * *", NEW_YORK, "2024-11-02T23:30", 4))
        .containsExactly(
            "2024-11-03T00:00-04:00",
            "2024-11-03T01:00-04:00",
            "2024-11-03T01:00-05:00",
            "2024-11-03T02:00-05:00");
    Cron everyFive = Cron.parse("*/5 * * * * *");
    Instant at = Instant.parse("2024-11-03T05:30:00Z"); // 01:30 EDT
    for (int i = 0; i < 12 * 60; i++) { // an hour of elapsed time, through 02:00 EDT → 01:00 EST
      Instant next = everyFive.nextAfter(at, NEW_YORK).orElseThrow();
      assertThat(Duration.between(at, next)).as("after " + at).isEqualTo(Duration.ofSeconds(5));
      at = next;
    }
  }

  @Test
  void slotsBetweenCountsFireTimesAndStopsAtTheCap() {
    Cron everyMinute = Cron.parse("* * * * *");
    Instant from = Instant.parse("2024-01-01T00:00:00Z");
    Timing.Slots slots =
        everyMinute.slotsBetween(from, Instant.parse("2024-01-01T01:00:30Z"), UTC, 1000);
    assertThat(slots.count()).isEqualTo(61);
    assertThat(slots.latest()).isEqualTo(Instant.parse("2024-01-01T01:00:00Z"));
    assertThat(slots.capped()).isFalse();

    Timing.Slots capped =
        everyMinute.slotsBetween(from, Instant.parse("2024-01-02T00:00:30Z"), UTC, 100);
    assertThat(capped.count()).isEqualTo(100);
    assertThat(capped.capped()).isTrue();
    assertThat(capped.latest()).isEqualTo(Instant.parse("2024-01-02T00:00:00Z"));
  }

  @Test
  void intervalsAreAFixedRateFromTheirAnchor() {
    Instant anchor = Instant.parse("2024-01-01T00:00:00.250Z");
    Timing interval = Timing.of(null, 90, "Europe/Paris", anchor);
    assertThat(interval.nextAfter(anchor)).contains(anchor.plusSeconds(90));
    assertThat(interval.nextAfter(anchor.minusSeconds(3600))).contains(anchor.plusSeconds(90));
    assertThat(interval.nextAfter(anchor.plusSeconds(90))).contains(anchor.plusSeconds(180));
    assertThat(interval.nextAfter(anchor.plusSeconds(100))).contains(anchor.plusSeconds(180));
    assertThat(interval.zone()).isEqualTo(PARIS);
    Timing.Slots slots =
        interval.slotsBetween(anchor.plusSeconds(90), anchor.plusSeconds(900), 1000);
    assertThat(slots.count()).isEqualTo(10);
    assertThat(slots.latest()).isEqualTo(anchor.plusSeconds(900));
    assertThat(interval.slotsBetween(anchor.plusSeconds(90), anchor.plusSeconds(9000), 5))
        .isEqualTo(new Timing.Slots(anchor.plusSeconds(9000), 5, true));
  }

  @Test
  void timingNeedsExactlyOneOfCronAndIntervalAndAnIanaZone() {
    Instant now = Instant.now();
    assertThat(Timing.of("* * * * *", null, null, now).zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(Timing.of("* * * * *", null, "Asia/Kolkata", now))
        .isInstanceOf(Timing.CronTiming.class);
    assertThatThrownBy(() -> Timing.of("* * * * *", 5, "UTC", now))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> Timing.of(null, null, "UTC", now)).hasMessageContaining("required");
    for (String zone : new String[] {"Mars/Olympus", "+02:00", "GMT+2", "europe/paris", ""}) {
      assertThatThrownBy(() -> Timing.of("* * * * *", null, zone, now))
          .as(zone)
          .isInstanceOf(InvalidTimingException.class)
          .satisfies(e -> assertThat(((InvalidTimingException) e).field()).isEqualTo("timezone"));
    }
    for (int seconds : new int[] {0, -1, Timing.MAX_INTERVAL_SECONDS + 1}) {
      assertThatThrownBy(() -> Timing.of(null, seconds, "UTC", now))
          .as("" + seconds)
          .satisfies(
              e -> assertThat(((InvalidTimingException) e).field()).isEqualTo("intervalSeconds"));
    }
    assertThat(Timing.of(null, Timing.MAX_INTERVAL_SECONDS, "UTC", now)).isNotNull();
  }
}
