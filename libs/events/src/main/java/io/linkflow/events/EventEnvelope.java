package io.linkflow.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event as LinkFlow carries it on Kafka (binary mode: attributes in {@code ce_*}
 * headers, the JSON payload as the record value), with two extensions: {@code workspaceid} and the
 * distributed-tracing {@code traceparent}/{@code tracestate}.
 *
 * @param id unique id of this event; consumers deduplicate on it
 * @param type versioned type, e.g. {@code io.linkflow.workflow.activated.v1}
 * @param source the producing service, e.g. {@code /services/workflow}
 * @param subject the aggregate id; also the Kafka record key, so one aggregate stays ordered
 * @param time when the change happened
 * @param workspaceId the tenant, absent for platform-wide events
 * @param traceparent W3C trace context of the operation that caused the event
 * @param tracestate W3C trace state, usually absent
 * @param data the payload as JSON bytes
 */
public record EventEnvelope(
    UUID id,
    String type,
    String source,
    String subject,
    Instant time,
    String workspaceId,
    String traceparent,
    String tracestate,
    byte[] data) {

  public static final String SPEC_VERSION = "1.0";
  public static final String DATA_CONTENT_TYPE = "application/json";

  public EventEnvelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(data, "data");
  }

  /** The Kafka record key: the aggregate id. */
  public String key() {
    return subject;
  }

  public EventEnvelope withTrace(String parent, String state) {
    return new EventEnvelope(id, type, source, subject, time, workspaceId, parent, state, data);
  }
}
