package io.linkflow.schedule.housekeeping;

import io.linkflow.events.Topic;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A record of dlq.events as stored in {@code dead_letter}: where it came from and why it failed
 * (SmallRye Kafka's {@code dead-letter-*} headers), and the original record — key, value and the
 * original headers in order (the {@code ce_*} CloudEvent attributes …), without the {@code
 * dead-letter-*} ones and without the trace context the dead-letter producer appended (a second
 * {@code traceparent}) — ready to be re-driven as it was. A record that had no trace context keeps
 * the one the dead-letter producer added (the re-driven record then continues that trace).
 *
 * @param originalTopic {@code dead-letter-topic}; for a record without it (not dead-lettered by a
 *     LinkFlow consumer) {@code dlq.events} itself, with the record's own partition and offset
 * @param redriveCount how often it was re-driven before ({@code linkflow-redrive-count})
 */
public record DeadLetter(
    UUID id,
    String originalTopic,
    int originalPartition,
    long originalOffset,
    byte[] key,
    byte[] value,
    List<StoredHeader> headers,
    String reason,
    String exceptionClass,
    String causeClass,
    String cause,
    int dlqPartition,
    long dlqOffset,
    Instant receivedAt,
    int redriveCount,
    String status,
    String parkReason,
    String lastError,
    Instant redrivenAt,
    Instant updatedAt) {

  /** SmallRye Kafka's failure strategy {@code dead-letter-queue} (KafkaDeadLetterQueue). */
  public static final String DEAD_LETTER_PREFIX = "dead-letter-";

  public static final String DEAD_LETTER_TOPIC = "dead-letter-topic";
  public static final String DEAD_LETTER_PARTITION = "dead-letter-partition";
  public static final String DEAD_LETTER_OFFSET = "dead-letter-offset";
  public static final String DEAD_LETTER_REASON = "dead-letter-reason";
  public static final String DEAD_LETTER_EXCEPTION_CLASS = "dead-letter-exception-class-name";
  public static final String DEAD_LETTER_CAUSE_CLASS = "dead-letter-cause-class-name";
  public static final String DEAD_LETTER_CAUSE = "dead-letter-cause";

  /**
   * W3C trace context headers. The dead-letter producer's OpenTelemetry instrumentation appends its
   * own after the original record's; only the first of each (the original's) is kept.
   */
  static final Set<String> TRACE_CONTEXT = Set.of("traceparent", "tracestate", "baggage");

  /** Added to a re-driven record: how often it has been re-driven (1, 2, …). */
  public static final String REDRIVE_COUNT = "linkflow-redrive-count";

  public static final String PENDING = "pending";
  public static final String REDRIVEN = "redriven";
  public static final String PARKED = "parked";

  /** One header of the original record; {@code value} null for a header without a value. */
  public record StoredHeader(String name, byte[] value) {

    /** {"name", "value": UTF-8 text} or {"name", "base64"} when not UTF-8, {"name"} for null. */
    JsonObject toJson() {
      JsonObject json = new JsonObject().put("name", name);
      if (value != null) {
        String text = utf8(value);
        if (text != null) {
          json.put("value", text);
        } else {
          json.put("base64", Base64.getEncoder().encodeToString(value));
        }
      }
      return json;
    }

    static StoredHeader fromJson(JsonObject json) {
      String name = json.getString("name");
      if (json.containsKey("value")) {
        return new StoredHeader(name, json.getString("value").getBytes(StandardCharsets.UTF_8));
      }
      if (json.containsKey("base64")) {
        return new StoredHeader(name, Base64.getDecoder().decode(json.getString("base64")));
      }
      return new StoredHeader(name, null);
    }

    /** The value as text (null when absent or not UTF-8). */
    public String text() {
      return value == null ? null : utf8(value);
    }
  }

  /** A record of dlq.events, before it is stored (new id, pending). */
  static DeadLetter from(ConsumerRecord<byte[], byte[]> record) {
    List<StoredHeader> original = new ArrayList<>();
    String topic = null;
    Integer partition = null;
    Long offset = null;
    int redrives = 0;
    Set<String> traceHeaders = new HashSet<>();
    for (Header h : record.headers()) {
      if (TRACE_CONTEXT.contains(h.key()) && !traceHeaders.add(h.key())) {
        continue; // appended by the dead-letter producer's tracing, after the original's
      }
      if (!h.key().startsWith(DEAD_LETTER_PREFIX)) {
        original.add(new StoredHeader(h.key(), h.value()));
        if (REDRIVE_COUNT.equals(h.key())) {
          redrives = parseInt(text(h), 0);
        }
      }
    }
    String topicHeader = header(record, DEAD_LETTER_TOPIC);
    String partitionHeader = header(record, DEAD_LETTER_PARTITION);
    String offsetHeader = header(record, DEAD_LETTER_OFFSET);
    if (topicHeader != null && !topicHeader.isBlank()) {
      try {
        partition = Integer.parseInt(partitionHeader.trim());
        offset = Long.parseLong(offsetHeader.trim());
        topic = topicHeader.trim();
      } catch (RuntimeException unreadable) {
        topic = null;
      }
    }
    String reason = header(record, DEAD_LETTER_REASON);
    if (topic == null) {
      topic = Topic.DLQ_EVENTS.topicName();
      partition = record.partition();
      offset = record.offset();
      reason = reason == null ? "no dead-letter-topic header" : reason;
    }
    return new DeadLetter(
        UUID.randomUUID(),
        topic,
        partition,
        offset,
        record.key(),
        record.value(),
        List.copyOf(original),
        reason,
        header(record, DEAD_LETTER_EXCEPTION_CLASS),
        header(record, DEAD_LETTER_CAUSE_CLASS),
        header(record, DEAD_LETTER_CAUSE),
        record.partition(),
        record.offset(),
        null,
        redrives,
        PENDING,
        null,
        null,
        null,
        null);
  }

  /** Whether it names the place it was dead-lettered from (SmallRye's headers). */
  public boolean hasOrigin() {
    return !Topic.DLQ_EVENTS.topicName().equals(originalTopic);
  }

  /** The original header's value as text, or null. */
  public String header(String name) {
    String found = null;
    for (StoredHeader h : headers) {
      if (h.name().equals(name)) {
        found = h.text();
      }
    }
    return found;
  }

  /** The headers to re-drive with: the original ones and {@code linkflow-redrive-count = n}. */
  public List<StoredHeader> redriveHeaders(int count) {
    List<StoredHeader> out = new ArrayList<>(headers.size() + 1);
    for (StoredHeader h : headers) {
      if (!REDRIVE_COUNT.equals(h.name())) {
        out.add(h);
      }
    }
    out.add(
        new StoredHeader(REDRIVE_COUNT, Integer.toString(count).getBytes(StandardCharsets.UTF_8)));
    return out;
  }

  JsonArray headersJson() {
    JsonArray array = new JsonArray();
    headers.forEach(h -> array.add(h.toJson()));
    return array;
  }

  static List<StoredHeader> headersFrom(JsonArray array) {
    List<StoredHeader> out = new ArrayList<>();
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        out.add(StoredHeader.fromJson(array.getJsonObject(i)));
      }
    }
    return List.copyOf(out);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : text(h);
  }

  private static String text(Header h) {
    return h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static int parseInt(String value, int fallback) {
    try {
      return value == null ? fallback : Math.max(0, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** The bytes as text when they are valid UTF-8, else null. */
  static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
