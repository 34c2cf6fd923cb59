package io.linkflow.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.linkflow.common.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Turns payload records into envelopes and back, with one JSON mapping for every service: ISO-8601
 * instants, and unknown fields ignored on read so that adding an optional field stays compatible.
 */
public final class EventCodec {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private EventCodec() {}

  /** The mapper used for payloads, for tests and tools that need to read them as trees. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * A new event of {@code type} about aggregate {@code subject}, produced by {@code source} now.
   */
  public static <T extends Record> EventEnvelope envelope(
      EventType<T> type, String source, String subject, String workspaceId, T payload) {
    return new EventEnvelope(
        Ids.newId(),
        type.cloudEventType(),
        source,
        subject,
        Instant.now(),
        workspaceId,
        null,
        null,
        write(payload));
  }

  public static byte[] write(Object payload) {
    try {
      return MAPPER.writeValueAsBytes(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("payload cannot be written as JSON", e);
    }
  }

  /** Reads the payload of an event known to be of {@code type}. */
  public static <T extends Record> T read(EventType<T> type, EventEnvelope event) {
    if (!type.cloudEventType().equals(event.type())) {
      throw new IllegalArgumentException(
          "expected " + type.cloudEventType() + " but the event is " + event.type());
    }
    return read(type.payload(), event.data());
  }

  public static <T> T read(Class<T> payload, byte[] json) {
    try {
      return MAPPER.readValue(json, payload);
    } catch (IOException e) {
      throw new UncheckedIOException("payload is not a valid " + payload.getSimpleName(), e);
    }
  }
}
