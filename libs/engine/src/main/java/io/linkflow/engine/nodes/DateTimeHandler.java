package io.linkflow.engine.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.linkflow.engine.Items;
import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeHandler;
import io.linkflow.engine.NodeResult;
import io.linkflow.engine.NodeRun;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Date &amp; Time, per item, in {@code timezone} (an IANA name; when the node does not set it, the
 * workflow's time zone, {@link NodeRun#timezone()}): writes to {@code outputField} (dotted) of a
 * copy of the item
 *
 * <ul>
 *   <li>{@code now}: the current time (the context's clock) formatted with {@code format};
 *   <li>{@code format}: {@code date} formatted with {@code format} (a java.time pattern, English
 *       month and day names);
 *   <li>{@code add} / {@code subtract}: {@code date} moved by {@code amount} {@code unit}s,
 *       formatted. Days, weeks, months and years are calendar units in the time zone (adding a day
 *       across a DST change keeps the wall-clock time) and need a whole {@code amount}; seconds,
 *       minutes and hours may be fractional (rounded to milliseconds);
 *   <li>{@code difference}: {@code endDate} − {@code date} in whole {@code unit}s (truncated toward
 *       zero, calendar-aware), a number;
 *   <li>{@code startOf}: the start of {@code date}'s {@code unit} (weeks start on Monday),
 *       formatted.
 * </ul>
 *
 * {@code date} / {@code endDate}: ISO-8601 with offset or zone ({@code 2024-05-01T12:00:00Z}),
 * local date-time or date (read in the time zone), or a number of epoch milliseconds.
 */
public final class DateTimeHandler implements NodeHandler {

  @Override
  public String type() {
    return "linkflow.dateTime";
  }

  @Override
  public NodeResult run(NodeRun run, NodeContext context) {
    List<ObjectNode> out = new ArrayList<>(run.main().size());
    for (ObjectNode item : run.main()) {
      ObjectNode p = context.parameters(run, item);
      ZoneId zone = zone(run, p);
      String operation = p.path("operation").asText("format");
      String unit = p.path("unit").asText("days");
      JsonNode result =
          switch (operation) {
            case "now" ->
                format(run, p, ZonedDateTime.now(context.clock()).withZoneSameInstant(zone));
            case "format" -> format(run, p, date(run, p, "date", zone));
            case "add" -> format(run, p, plus(run, p, date(run, p, "date", zone), unit, false));
            case "subtract" -> format(run, p, plus(run, p, date(run, p, "date", zone), unit, true));
            case "difference" ->
                JsonNodeFactory.instance.numberNode(
                    chrono(run, unit)
                        .between(date(run, p, "date", zone), date(run, p, "endDate", zone)));
            case "startOf" -> format(run, p, startOf(run, date(run, p, "date", zone), unit));
            default ->
                throw NodeException.parameter(
                    run, "/operation", "unknown operation \"" + operation + "\"");
          };
      String field = p.path("outputField").asText("");
      if (field.isEmpty()) {
        throw NodeException.parameter(run, "/outputField", "a field name is required");
      }
      ObjectNode copy = item.deepCopy();
      Items.set(copy, field, result);
      out.add(copy);
    }
    return NodeResult.main(out);
  }

  private static ZoneId zone(NodeRun run, ObjectNode p) {
    JsonNode saved = run.parameters().get("timezone");
    if (Items.isNull(saved) || (saved.isTextual() && saved.textValue().isBlank())) {
      return run.timezone();
    }
    String name = Items.text(p.get("timezone")).strip();
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      throw NodeException.parameter(run, "/timezone", "unknown time zone \"" + name + "\"");
    }
  }

  static ZonedDateTime date(NodeRun run, ObjectNode p, String name, ZoneId zone) {
    JsonNode v = p.get(name);
    String pointer = "/" + name;
    if (Items.isNull(v) || (v.isTextual() && v.textValue().isBlank())) {
      throw NodeException.parameter(run, pointer, "a date is required");
    }
    if (v.isNumber()) {
      return Instant.ofEpochMilli(v.longValue()).atZone(zone);
    }
    String text = Items.text(v).strip();
    try {
      return ZonedDateTime.parse(text, DateTimeFormatter.ISO_ZONED_DATE_TIME)
          .withZoneSameInstant(zone);
    } catch (DateTimeParseException e) {
      // not with an offset or zone
    }
    try {
      return LocalDateTime.parse(text).atZone(zone);
    } catch (DateTimeParseException e) {
      // not a local date-time
    }
    try {
      return LocalDate.parse(text).atStartOfDay(zone);
    } catch (DateTimeParseException e) {
      throw NodeException.parameter(
          run, pointer, "\"" + text + "\" is not an ISO-8601 date or date-time");
    }
  }

  private static ZonedDateTime plus(
      NodeRun run, ObjectNode p, ZonedDateTime date, String unit, boolean subtract) {
    BigDecimal amount = Items.number(p.get("amount"));
    if (amount == null) {
      throw NodeException.parameter(run, "/amount", "a number is required");
    }
    if (subtract) {
      amount = amount.negate();
    }
    ChronoUnit chrono = chrono(run, unit);
    if (chrono.isDateBased()) {
      if (amount.stripTrailingZeros().scale() > 0) {
        throw NodeException.parameter(
            run, "/amount", amount.abs().toPlainString() + " is not a whole number of " + unit);
      }
      return date.plus(amount.longValueExact(), chrono);
    }
    long millis =
        amount
            .multiply(BigDecimal.valueOf(chrono.getDuration().toMillis()))
            .setScale(0, RoundingMode.HALF_UP)
            .longValueExact();
    return date.plus(millis, ChronoUnit.MILLIS);
  }

  private static ZonedDateTime startOf(NodeRun run, ZonedDateTime date, String unit) {
    return switch (chrono(run, unit)) {
      case SECONDS, MINUTES, HOURS -> date.truncatedTo(chrono(run, unit));
      case DAYS -> date.toLocalDate().atStartOfDay(date.getZone());
      case WEEKS ->
          date.toLocalDate()
              .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
              .atStartOfDay(date.getZone());
      case MONTHS -> date.toLocalDate().withDayOfMonth(1).atStartOfDay(date.getZone());
      default -> date.toLocalDate().withDayOfYear(1).atStartOfDay(date.getZone());
    };
  }

  private static ChronoUnit chrono(NodeRun run, String unit) {
    return switch (unit) {
      case "seconds" -> ChronoUnit.SECONDS;
      case "minutes" -> ChronoUnit.MINUTES;
      case "hours" -> ChronoUnit.HOURS;
      case "days" -> ChronoUnit.DAYS;
      case "weeks" -> ChronoUnit.WEEKS;
      case "months" -> ChronoUnit.MONTHS;
      case "years" -> ChronoUnit.YEARS;
      default -> throw NodeException.parameter(run, "/unit", "unknown unit \"" + unit + "\"");
    };
  }

  private static JsonNode format(NodeRun run, ObjectNode p, ZonedDateTime date) {
    String pattern = p.path("format").asText("yyyy-MM-dd'T'HH:mm:ssXXX");
    DateTimeFormatter formatter;
    try {
      formatter = DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH);
    } catch (IllegalArgumentException e) {
      throw NodeException.parameter(run, "/format", "invalid pattern: " + e.getMessage());
    }
    try {
      return TextNode.valueOf(formatter.format(date));
    } catch (DateTimeException e) {
      throw NodeException.parameter(run, "/format", "cannot format: " + e.getMessage());
    }
  }
}
