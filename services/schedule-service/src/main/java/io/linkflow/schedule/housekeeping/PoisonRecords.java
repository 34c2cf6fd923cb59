package io.linkflow.schedule.housekeeping;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.Topic;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a dead letter can ever succeed if re-driven. Parked (with the reason) are:
 *
 * <ol>
 *   <li>records without an origin (no {@code dead-letter-topic} header: nothing to re-drive to);
 *   <li>records whose original topic is not one of LinkFlow's ({@link Topic}), or is dlq.events;
 *   <li>records that are not CloudEvents 1.0 ({@code ce_specversion}, {@code ce_id}, {@code
 *       ce_type} headers): no LinkFlow consumer reads them;
 *   <li>poison records: the failure is about the record itself, so it fails the same way every time
 *       — the exception or its cause is an {@link IllegalArgumentException} (what {@link
 *       CloudEventHeaders} and payload checks throw), a JSON/Jackson, Kafka serialization or
 *       date-time parse error (e.g. {@code UncheckedIOException} caused by a {@code
 *       JsonParseException}), or the reason says the record is unreadable;
 *   <li>records re-driven {@code max-redrives} times already and dead-lettered again.
 * </ol>
 *
 * Anything else (a database or network failure, a timeout, a service that was down) is worth
 * re-driving.
 */
final class PoisonRecords {

  /** Exception types that describe the record, not the moment (by name: they need not be here). */
  static final List<String> POISON_TYPES =
      List.of(
          "java.lang.IllegalArgumentException",
          "com.fasterxml.jackson.core.JacksonException",
          "com.fasterxml.jackson.core.JsonProcessingException",
          "org.apache.kafka.common.errors.SerializationException",
          "java.time.DateTimeException",
          "io.vertx.core.json.DecodeException");

  /** Simple names that mean the same when the class cannot be loaded here. */
  static final List<String> POISON_NAMES =
      List.of(
          "IllegalArgumentException",
          "NumberFormatException",
          "DateTimeParseException",
          "JsonParseException",
          "JsonMappingException",
          "MismatchedInputException",
          "InvalidFormatException",
          "UnrecognizedPropertyException",
          "InvalidDefinitionException",
          "ValueInstantiationException",
          "SerializationException",
          "RecordDeserializationException",
          "DecodeException");

  /** Reason texts of unreadable records (libs/events CloudEventHeaders, EventCodec, Jackson). */
  static final List<String> POISON_REASONS =
      List.of(
          "cloudevents",
          "is not a valid",
          "cannot deserialize",
          "unrecognized field",
          "unexpected character",
          "unexpected end-of-input");

  private PoisonRecords() {}

  /** Why the letter should be parked, or empty to re-drive it. */
  static Optional<String> parkReason(DeadLetter letter, int maxRedrives) {
    if (!letter.hasOrigin()) {
      return Optional.of(
          "not dead-lettered by a LinkFlow consumer (no dead-letter-topic header): there is no"
              + " topic to re-drive it to");
    }
    Optional<Topic> topic = Topic.byName(letter.originalTopic());
    if (topic.isEmpty() || topic.get() == Topic.DLQ_EVENTS) {
      return Optional.of(
          "its original topic "
              + letter.originalTopic()
              + " is not a LinkFlow topic it could be re-driven to");
    }
    if (!"1.0".equals(letter.header(CloudEventHeaders.SPEC_VERSION))
        || blank(letter.header(CloudEventHeaders.ID))
        || blank(letter.header(CloudEventHeaders.TYPE))) {
      return Optional.of(
          "poison: not a CloudEvents 1.0 record (ce_specversion, ce_id or ce_type missing), so no"
              + " consumer can read it"
              + failure(letter));
    }
    String poisonClass = poisonClass(letter.exceptionClass(), letter.causeClass());
    if (poisonClass != null) {
      return Optional.of(
          "poison: "
              + poisonClass
              + " means the record itself is unreadable or invalid; it would fail the same way"
              + " again"
              + failure(letter));
    }
    if (poisonReason(letter.reason()) || poisonReason(letter.cause())) {
      return Optional.of(
          "poison: the failure says the record is unreadable; it would fail the same way again"
              + failure(letter));
    }
    if (letter.redriveCount() >= maxRedrives) {
      return Optional.of(
          "re-driven "
              + letter.redriveCount()
              + " times (linkflow.housekeeping.dlq.max-redrives = "
              + maxRedrives
              + ") and dead-lettered again"
              + failure(letter));
    }
    return Optional.empty();
  }

  /** Whether the letter can be re-driven at all (by hand too): it has a LinkFlow topic. */
  static Optional<String> cannotRedrive(DeadLetter letter) {
    if (!letter.hasOrigin()) {
      return Optional.of(
          "This record was not dead-lettered by a LinkFlow consumer (no dead-letter-topic"
              + " header); there is no topic to re-drive it to.");
    }
    Optional<Topic> topic = Topic.byName(letter.originalTopic());
    if (topic.isEmpty() || topic.get() == Topic.DLQ_EVENTS) {
      return Optional.of(
          "Its original topic " + letter.originalTopic() + " is not a LinkFlow topic.");
    }
    return Optional.empty();
  }

  /** The first of the classes that is a poison type, or null. */
  static String poisonClass(String... classNames) {
    for (String name : classNames) {
      if (name != null && !name.isBlank() && isPoison(name.trim())) {
        return name.trim();
      }
    }
    return null;
  }

  static boolean isPoison(String className) {
    if (POISON_TYPES.contains(className)) {
      return true;
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try {
      Class<?> type = Class.forName(className, false, loader);
      for (String poison : POISON_TYPES) {
        try {
          if (Class.forName(poison, false, loader).isAssignableFrom(type)) {
            return true;
          }
        } catch (ClassNotFoundException | LinkageError notHere) {
          // that base type is not on this classpath
        }
      }
      return false;
    } catch (ClassNotFoundException | LinkageError notHere) {
      String simple = className.substring(className.lastIndexOf('.') + 1);
      return POISON_NAMES.contains(simple);
    }
  }

  static boolean poisonReason(String text) {
    if (text == null) {
      return false;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    return POISON_REASONS.stream().anyMatch(lower::contains);
  }

  private static String failure(DeadLetter letter) {
    StringBuilder out = new StringBuilder();
    if (letter.exceptionClass() != null || letter.reason() != null) {
      out.append(" (")
          .append(letter.exceptionClass() == null ? "failure" : letter.exceptionClass())
          .append(letter.reason() == null ? "" : ": " + abbreviate(letter.reason()));
      if (letter.causeClass() != null) {
        out.append("; cause ").append(letter.causeClass());
      }
      out.append(")");
    }
    return out.toString();
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
