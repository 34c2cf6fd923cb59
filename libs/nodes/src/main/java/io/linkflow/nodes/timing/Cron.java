package io.linkflow.nodes.timing;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cron expression (cron-utils underneath), evaluated in a time zone.
 *
 * <ul>
 *   <li>5 fields, {@code minute hour day-of-month month day-of-week}: Unix (Vixie) cron, including
 *       its rule that when both day fields are restricted a day matching either fires.
 *   <li>6 fields, seconds first: the same fields with seconds in front, with the day-field
 *       extensions {@code L}, {@code W} and {@code #} (cron-utils' Spring 5.3 definition; both day
 *       fields must match when both are restricted, as in Spring and Quartz).
 * </ul>
 *
 * In both forms {@code ?} means the same as {@code *} (users coming from Quartz write it in one day
 * field), names ({@code MON-FRI}, {@code JAN}) are case-insensitive, and day-of-week {@code 0} and
 * {@code 7} are Sunday — unlike Quartz, where 1 is Sunday, so {@code 1-5} is Monday to Friday in
 * both forms.
 *
 * <p>Daylight saving: fire times are wall-clock times of the zone. A time that a spring-forward
 * change skips fires as late as the clock jumped (02:30 becomes 03:30; java.time's rule for a gap);
 * a fixed time that a fall-back change repeats fires once, at its first occurrence; expressions
 * that fire every hour or more often keep their pace through both changes.
 *
 * <p>Instances are immutable and thread-safe; {@link #parse} caches them by expression.
 */
public final class Cron {

  /**
   * Longest wall-clock gap of any zone (Pacific/Apia skipped a whole day in 2011), plus a margin.
   */
  private static final Duration MAX_GAP = Duration.ofHours(25);

  private static final int CACHE_LIMIT = 10_000;

  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser WITH_SECONDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

  private static final ConcurrentHashMap<String, Cron> CACHE = new ConcurrentHashMap<>();

  private final String expression;
  private final boolean withSeconds;
  private final ExecutionTime execution;

  private Cron(String expression, boolean withSeconds, ExecutionTime execution) {
    this.expression = expression;
    this.withSeconds = withSeconds;
    this.execution = execution;
  }

  /**
   * Parses {@code text}; throws {@link InvalidTimingException} (field {@code cron}) with a message
   * for its author when it has the wrong number of fields, does not parse, or can never fire.
   */
  public static Cron parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidTimingException("cron", "a cron expression is required");
    }
    String normalized = normalize(text);
    Cron cached = CACHE.get(normalized);
    if (cached != null) {
      return cached;
    }
    Cron cron = compile(normalized);
    if (CACHE.size() >= CACHE_LIMIT) {
      CACHE.clear();
    }
    CACHE.put(normalized, cron);
    return cron;
  }

  /** Single spaces, upper case, and {@code ?} as {@code *}; throws for a wrong number of fields. */
  static String normalize(String text) {
    String[] fields = text.trim().split("\\s+");
    if (fields.length != 5 && fields.length != 6) {
      throw new InvalidTimingException(
          "cron",
          "a cron expression has 5 fields (minute hour day-of-month month day-of-week) or 6 with"
              + " seconds first, not "
              + fields.length);
    }
    for (int i = 0; i < fields.length; i++) {
      fields[i] = fields[i].toUpperCase(Locale.ROOT);
      if ("?".equals(fields[i])) {
        fields[i] = "*";
      }
    }
    return String.join(" ", fields);
  }

  /** Synchronized: cron-utils does not document its parsers as thread-safe (and this is rare). */
  private static synchronized Cron compile(String normalized) {
    boolean seconds = normalized.split(" ").length == 6;
    ExecutionTime execution;
    try {
      com.cronutils.model.Cron parsed =
          (seconds ? WITH_SECONDS : UNIX).parse(normalized).validate();
      execution = ExecutionTime.forCron(parsed);
    } catch (IllegalArgumentException e) {
      throw new InvalidTimingException("cron", "not a valid cron expression: " + reason(e));
    } catch (RuntimeException e) {
      // cron-utils reports some malformed fields with other exceptions (e.g. a bare "/")
      throw new InvalidTimingException("cron", "not a valid cron expression: " + reason(e));
    }
    Cron cron = new Cron(normalized, seconds, execution);
    // an expression such as "0 0 30 2 *" (30 February) parses but never fires
    Instant reference = Instant.parse("2000-01-01T00:00:00Z");
    if (cron.nextAfter(reference, ZoneOffset.UTC).isEmpty()) {
      throw new InvalidTimingException("cron", "the cron expression never fires");
    }
    return cron;
  }

  private static String reason(RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replaceFirst("^Failed to parse cron expression\\.\\s*", "");
  }

  /** The expression as evaluated: single spaces, upper case, {@code ?} written {@code *}. */
  public String expression() {
    return expression;
  }

  /** True for the 6-field form, whose first field is seconds. */
  public boolean hasSeconds() {
    return withSeconds;
  }

  /** The first fire time strictly after {@code after}, in {@code zone}; empty if there is none. */
  public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
    Optional<ZonedDateTime> next;
    try {
      next = execution.nextExecution(after.atZone(zone));
    } catch (RuntimeException e) {
      return Optional.empty(); // cron-utils gives up far in the future
    }
    if (next.isEmpty()) {
      return Optional.empty();
    }
    Instant best = next.get().toInstant();
    // cron-utils drops wall-clock times a spring-forward gap removes; fire them as late as the
    // clock jumped instead (java.time's rule), so that a daily 02:30 still runs that day.
    ZoneRules rules = zone.getRules();
    ZoneOffsetTransition transition = rules.nextTransition(after.minus(MAX_GAP));
    for (int i = 0; transition != null && i < 1000; i++) {
      if (!transition.getInstant().isBefore(best)) {
        break;
      }
      if (transition.isGap()
          && transition.getInstant().plus(transition.getDuration()).isAfter(after)) {
        Instant shifted = inGap(transition, after);
        if (shifted != null && shifted.isAfter(after) && shifted.isBefore(best)) {
          best = shifted;
        }
      }
      transition = rules.nextTransition(transition.getInstant());
    }
    return Optional.of(best);
  }

  /**
   * The first wall-clock time of the gap of {@code transition} at which the expression fires,
   * strictly after {@code after}, as the instant it would be at the offset before the change (02:30
   * in a 02:00→03:00 gap is 03:30 after it); null when none is in the gap.
   */
  private Instant inGap(ZoneOffsetTransition transition, Instant after) {
    ZoneOffset before = transition.getOffsetBefore();
    LocalDateTime gapStart = transition.getDateTimeBefore();
    LocalDateTime gapEnd = transition.getDateTimeAfter();
    LocalDateTime afterLocal = LocalDateTime.ofInstant(after, before);
    LocalDateTime from = afterLocal.isBefore(gapStart) ? gapStart.minusNanos(1) : afterLocal;
    try {
      Optional<ZonedDateTime> candidate = execution.nextExecution(from.atZone(before));
      if (candidate.isPresent() && candidate.get().toLocalDateTime().isBefore(gapEnd)) {
        return candidate.get().toInstant();
      }
    } catch (RuntimeException e) {
      return null;
    }
    return null;
  }

  /**
   * The fire times in [{@code from}, {@code at}], where {@code from} is a fire time at or before
   * {@code at}: the latest of them and how many there are, counted one by one up to {@code cap};
   * past the cap the latest is found with cron-utils' last execution and the count stays at the
   * cap.
   */
  public Timing.Slots slotsBetween(Instant from, Instant at, ZoneId zone, int cap) {
    Instant latest = from;
    int count = 1;
    while (count < cap) {
      Optional<Instant> next = nextAfter(latest, zone);
      if (next.isEmpty() || next.get().isAfter(at)) {
        return new Timing.Slots(latest, count, false);
      }
      latest = next.get();
      count++;
    }
    Optional<Instant> next = nextAfter(latest, zone);
    if (next.isEmpty() || next.get().isAfter(at)) {
      return new Timing.Slots(latest, count, false);
    }
    // too many to count one by one: jump to the last one
    try {
      Optional<ZonedDateTime> last = execution.lastExecution(at.plusSeconds(1).atZone(zone));
      if (last.isPresent()
          && last.get().toInstant().isAfter(latest)
          && !last.get().toInstant().isAfter(at)) {
        latest = last.get().toInstant();
      }
    } catch (RuntimeException e) {
      // keep the last one counted
    }
    for (int i = 0; i < 100; i++) { // and past what lastExecution could not see (DST gaps)
      next = nextAfter(latest, zone);
      if (next.isEmpty() || next.get().isAfter(at)) {
        break;
      }
      latest = next.get();
    }
    return new Timing.Slots(latest, cap, true);
  }

  @Override
  public String toString() {
    return expression;
  }
}
