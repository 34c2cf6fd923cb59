package io.linkflow.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Maps an {@link EventEnvelope} to and from Kafka headers in the CloudEvents Kafka protocol
 * binding, binary content mode: {@code ce_specversion, ce_id, ce_type, ce_source, ce_time,
 * ce_subject}, {@code content-type}, and the extensions {@code ce_workspaceid, ce_traceparent,
 * ce_tracestate}. The plain W3C {@code traceparent} header is written too, so
 * OpenTelemetry-instrumented consumers continue the producer's trace.
 */
public final class CloudEventHeaders {

  public static final String SPEC_VERSION = "ce_specversion";
  public static final String ID = "ce_id";
  public static final String TYPE = "ce_type";
  public static final String SOURCE = "ce_source";
  public static final String TIME = "ce_time";
  public static final String SUBJECT = "ce_subject";
  public static final String CONTENT_TYPE = "content-type";
  public static final String WORKSPACE_ID = "ce_workspaceid";
  public static final String TRACEPARENT = "ce_traceparent";
  public static final String TRACESTATE = "ce_tracestate";
  public static final String W3C_TRACEPARENT = "traceparent";
  public static final String W3C_TRACESTATE = "tracestate";

  private CloudEventHeaders() {}

  public static List<Header> toHeaders(EventEnvelope event) {
    List<Header> headers = new ArrayList<>(12);
    add(headers, SPEC_VERSION, EventEnvelope.SPEC_VERSION);
    add(headers, ID, event.id().toString());
    add(headers, TYPE, event.type());
    add(headers, SOURCE, event.source());
    add(headers, TIME, event.time().toString());
    add(headers, SUBJECT, event.subject());
    add(headers, CONTENT_TYPE, EventEnvelope.DATA_CONTENT_TYPE);
    add(headers, WORKSPACE_ID, event.workspaceId());
    add(headers, TRACEPARENT, event.traceparent());
    add(headers, TRACESTATE, event.tracestate());
    add(headers, W3C_TRACEPARENT, event.traceparent());
    add(headers, W3C_TRACESTATE, event.tracestate());
    return headers;
  }

  /**
   * Reads an event from a record's headers and value.
   *
   * @throws IllegalArgumentException when a required attribute is missing or malformed (a poison
   *     message: send it to {@code dlq.events})
   */
  public static EventEnvelope fromHeaders(Headers headers, byte[] value) {
    String specVersion = read(headers, SPEC_VERSION);
    if (!EventEnvelope.SPEC_VERSION.equals(specVersion)) {
      throw new IllegalArgumentException(
          "not a CloudEvents 1.0 record: ce_specversion=" + specVersion);
    }
    try {
      return new EventEnvelope(
          UUID.fromString(required(headers, ID)),
          required(headers, TYPE),
          required(headers, SOURCE),
          read(headers, SUBJECT),
          Instant.parse(required(headers, TIME)),
          read(headers, WORKSPACE_ID),
          read(headers, TRACEPARENT),
          read(headers, TRACESTATE),
          value == null ? new byte[0] : value);
    } catch (java.time.format.DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException("malformed CloudEvents attributes: " + e.getMessage(), e);
    }
  }

  private static String required(Headers headers, String name) {
    String value = read(headers, name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("missing CloudEvents header " + name);
    }
    return value;
  }

  private static String read(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static void add(List<Header> headers, String name, String value) {
    if (value != null) {
      headers.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }
  }
}
