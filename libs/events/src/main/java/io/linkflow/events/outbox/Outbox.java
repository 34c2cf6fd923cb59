package io.linkflow.events.outbox;

import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventType;
import io.linkflow.events.Topic;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes events into the service's {@code outbox_event} table inside the caller's transaction, so
 * an event exists if and only if the state change it announces was committed. {@link OutboxRelay}
 * publishes them. Pass the reactive SQL client's transaction connection ({@code
 * pool.withTransaction(tx -> …)}).
 */
@ApplicationScoped
public class Outbox {

  static final String INSERT_SQL =
      "INSERT INTO outbox_event (id, topic, event_key, type, source, subject, occurred_at,"
          + " workspace_id, traceparent, tracestate, data)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

  private final String source;

  public Outbox(@ConfigProperty(name = "quarkus.application.name") String applicationName) {
    this.source = "/services/" + applicationName.replaceFirst("-service$", "");
  }

  /** The CloudEvents {@code source} of this service's events, e.g. {@code /services/workflow}. */
  public String source() {
    return source;
  }

  /** Creates an event of {@code type} about {@code subject} and appends it in {@code tx}. */
  public <T extends Record> Uni<EventEnvelope> append(
      SqlClient tx, EventType<T> type, String subject, String workspaceId, T payload) {
    EventEnvelope event = EventCodec.envelope(type, source, subject, workspaceId, payload);
    return append(tx, type.topic(), event).replaceWith(event);
  }

  /** Appends {@code event} for {@code topic} in the transaction of {@code tx}. */
  public Uni<Void> append(SqlClient tx, Topic topic, EventEnvelope event) {
    EventEnvelope traced = withCurrentTrace(event);
    signalOnCommit(tx);
    return tx.preparedQuery(INSERT_SQL).execute(tuple(topic, traced)).replaceWithVoid();
  }

  /** An event and the topic it goes to, for {@link #appendAll}. */
  public record Entry(Topic topic, EventEnvelope event) {}

  /** A new event of {@code type} about {@code subject}, to append with {@link #appendAll}. */
  public <T extends Record> Entry entry(
      EventType<T> type, String subject, String workspaceId, T payload) {
    return new Entry(
        type.topic(), EventCodec.envelope(type, source, subject, workspaceId, payload));
  }

  /**
   * Appends several events in one round trip (a batch), in list order — the order they will be
   * published in.
   */
  public Uni<Void> appendAll(SqlClient tx, java.util.List<Entry> entries) {
    if (entries.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    java.util.List<Tuple> rows = new java.util.ArrayList<>(entries.size());
    for (Entry entry : entries) {
      rows.add(tuple(entry.topic(), withCurrentTrace(entry.event())));
    }
    signalOnCommit(tx);
    return tx.preparedQuery(INSERT_SQL).executeBatch(rows).replaceWithVoid();
  }

  /** Nudges the relay when the transaction of {@code tx} commits (if it is one). */
  private static void signalOnCommit(SqlClient tx) {
    if (tx instanceof io.vertx.mutiny.sqlclient.SqlConnection connection) {
      io.vertx.mutiny.sqlclient.Transaction transaction = connection.transaction();
      if (transaction != null) {
        transaction
            .completion()
            .subscribe()
            .with(committed -> OutboxSignal.committed(), rolledBack -> {});
      }
    }
  }

  private static Tuple tuple(Topic topic, EventEnvelope e) {
    return Tuple.from(values(topic, e));
  }

  private static Object[] values(Topic topic, EventEnvelope e) {
    return new Object[] {
      e.id(),
      topic.topicName(),
      e.key() == null ? e.id().toString() : e.key(),
      e.type(),
      e.source(),
      e.subject(),
      e.time().atOffset(ZoneOffset.UTC),
      e.workspaceId(),
      e.traceparent(),
      e.tracestate(),
      io.vertx.core.buffer.Buffer.buffer(e.data())
    };
  }

  /** Records the current trace context on the event, so its consumers continue the trace. */
  static EventEnvelope withCurrentTrace(EventEnvelope event) {
    if (event.traceparent() != null) {
      return event;
    }
    Map<String, String> carrier = new HashMap<>();
    W3CTraceContextPropagator.getInstance()
        .inject(Context.current(), carrier, (map, key, value) -> map.put(key, value));
    String parent = carrier.get("traceparent");
    return parent == null ? event : event.withTrace(parent, carrier.get("tracestate"));
  }
}
