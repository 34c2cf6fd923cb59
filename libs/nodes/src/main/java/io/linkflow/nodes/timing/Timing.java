package io.linkflow.nodes.timing;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

/**
 * When a schedule fires: a {@link CronTiming cron expression in a time zone} or a {@link
 * IntervalTiming fixed interval} anchored at an instant. Immutable; all instants are UTC.
 */
public sealed interface Timing permits Timing.CronTiming, Timing.IntervalTiming {

  /** Longest interval: 365 days. */
  int MAX_INTERVAL_SECONDS = 31_536_000;

  /** The first fire time strictly after {@code after}; empty when it never fires again. */
  Optional<Instant> nextAfter(Instant after);

  /**
   * The fire times in [{@code from}, {@code to}], where {@code from} is one of them: the latest and
   * how many (counted up to {@code cap}).
   */
  Slots slotsBetween(Instant from, Instant to, int cap);

  /** The zone fire times are shown in (and, for cron, evaluated in). */
  ZoneId zone();

  /**
   * Fire times in an interval.
   *
   * @param latest the latest of them
   * @param count how many there are, at most the cap asked for
   * @param capped true when there are more than the cap
   */
  record Slots(Instant latest, int count, boolean capped) {}

  /** A cron expression evaluated in {@code zone}. */
  record CronTiming(Cron cron, ZoneId zone) implements Timing {

    @Override
    public Optional<Instant> nextAfter(Instant after) {
      return cron.nextAfter(after, zone);
    }

    @Override
    public Slots slotsBetween(Instant from, Instant to, int cap) {
      return cron.slotsBetween(from, to, zone, cap);
    }
  }

  /**
   * Every {@code period}, at {@code anchor + k × period} for k ≥ 1 (fixed rate: the times do not
   * drift with how late a fire was). Daylight saving does not apply: the period is elapsed time.
   */
  record IntervalTiming(Duration period, Instant anchor, ZoneId zone) implements Timing {

    @Override
    public Optional<Instant> nextAfter(Instant after) {
      long periodMs = period.toMillis();
      long elapsed = after.toEpochMilli() - anchor.toEpochMilli();
      long k = elapsed < 0 ? 1 : Math.floorDiv(elapsed, periodMs) + 1;
      return Optional.of(anchor.plusMillis(k * periodMs));
    }

    @Override
    public Slots slotsBetween(Instant from, Instant to, int cap) {
      long periodMs = period.toMillis();
      long first = Math.floorDiv(from.toEpochMilli() - anchor.toEpochMilli(), periodMs);
      long last = Math.floorDiv(to.toEpochMilli() - anchor.toEpochMilli(), periodMs);
      long count = Math.max(1, last - first + 1);
      Instant latest = anchor.plusMillis(Math.max(first, last) * periodMs);
      return count > cap ? new Slots(latest, cap, true) : new Slots(latest, (int) count, false);
    }
  }

  /**
   * The timing of {@code cron} or {@code intervalSeconds} (exactly one of them) in {@code timezone}
   * (null: UTC), an interval anchored at {@code anchor}. Throws {@link InvalidTimingException}
   * naming the first problem.
   */
  static Timing of(String cron, Integer intervalSeconds, String timezone, Instant anchor) {
    ZoneId zone = zone(timezone);
    boolean hasCron = cron != null;
    boolean hasInterval = intervalSeconds != null;
    if (hasCron == hasInterval) {
      throw new InvalidTimingException(
          "",
          hasCron
              ? "give either cron or intervalSeconds, not both"
              : "either cron or intervalSeconds is required");
    }
    if (hasCron) {
      return new CronTiming(Cron.parse(cron), zone);
    }
    return new IntervalTiming(
        Duration.ofSeconds(intervalSeconds(intervalSeconds)),
        anchor.truncatedTo(ChronoUnit.MILLIS),
        zone);
  }

  /** {@code seconds} if it is a valid interval; throws otherwise. */
  static int intervalSeconds(int seconds) {
    if (seconds < 1 || seconds > MAX_INTERVAL_SECONDS) {
      throw new InvalidTimingException(
          "intervalSeconds", "must be between 1 and " + MAX_INTERVAL_SECONDS + " (365 days)");
    }
    return seconds;
  }

  /** The IANA zone named {@code timezone} (null or blank: UTC); throws for any other name. */
  static ZoneId zone(String timezone) {
    if (timezone == null) {
      return UTC;
    }
    String name = timezone.trim();
    if (!ZONES.contains(name)) {
      throw new InvalidTimingException(
          "timezone",
          "unknown time zone "
              + (name.length() > 64 ? name.substring(0, 64) + "…" : name)
              + ": use an IANA name such as Europe/Paris or UTC");
    }
    return ZoneId.of(name);
  }

  /** The IANA names java.time knows (UTC among them). */
  Set<String> ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());

  /** The default zone. */
  ZoneId UTC = ZoneId.of("UTC");
}
