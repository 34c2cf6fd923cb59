package io.linkflow.events.inbox;

import io.linkflow.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.function.Function;

/**
 * Makes a consumer idempotent: the event id is recorded in {@code processed_event} in the same
 * transaction as the handler's effect, so a redelivered event is recognised and skipped, and a
 * handler that fails leaves no record and is retried.
 */
@ApplicationScoped
public class Inbox {

  static final String INSERT_SQL =
      "INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";

  /**
   * Runs {@code effect} in a transaction unless {@code consumer} has already processed {@code
   * event}; completes with the effect's result, or empty for a duplicate.
   */
  public <T> Uni<Optional<T>> once(
      Pool pool, String consumer, EventEnvelope event, Function<SqlConnection, Uni<T>> effect) {
    return pool.withTransaction(
        connection ->
            firstDelivery(connection, consumer, event.id().toString())
                .flatMap(
                    first ->
                        first
                            ? effect.apply(connection).map(Optional::ofNullable)
                            : Uni.createFrom().item(Optional.<T>empty())));
  }

  /** Records the delivery in {@code tx}; true the first time, false for a duplicate. */
  public Uni<Boolean> firstDelivery(SqlClient tx, String consumer, String eventId) {
    return tx.preparedQuery(INSERT_SQL)
        .execute(Tuple.of(consumer, eventId))
        .map(result -> result.rowCount() == 1);
  }
}
