package io.linkflow.schedule.housekeeping;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL of {@code dead_letter}. */
@ApplicationScoped
public class DeadLetters {

  static final String COLUMNS =
      "id, original_topic, original_partition, original_offset, record_key, value, headers,"
          + " reason, exception_class, cause_class, cause, dlq_partition, dlq_offset, received_at,"
          + " redrive_count, status, park_reason, last_error, redriven_at, updated_at";

  /** Stores a dead letter; false when this original record is stored already (a redelivery). */
  public Uni<Boolean> insert(SqlClient c, DeadLetter d) {
    return c.preparedQuery(
            "INSERT INTO dead_letter (id, original_topic, original_partition, original_offset,"
                + " record_key, value, headers, reason, exception_class, cause_class, cause,"
                + " dlq_partition, dlq_offset, redrive_count) VALUES ($1, $2, $3, $4, $5, $6, $7,"
                + " $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (original_topic,"
                + " original_partition, original_offset) DO NOTHING")
        .execute(
            Tuple.from(
                new Object[] {
                  d.id(),
                  d.originalTopic(),
                  d.originalPartition(),
                  d.originalOffset(),
                  buffer(d.key()),
                  buffer(d.value()),
                  d.headersJson(),
                  d.reason(),
                  d.exceptionClass(),
                  d.causeClass(),
                  d.cause(),
                  d.dlqPartition(),
                  d.dlqOffset(),
                  d.redriveCount()
                }))
        .map(r -> r.rowCount() == 1);
  }

  public Uni<Long> pendingCount(SqlClient c) {
    return c.preparedQuery("SELECT count(*) FROM dead_letter WHERE status = 'pending'")
        .execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * The oldest pending letter received at or before {@code cutoff} and not in {@code skip}, locked
   * for the transaction; letters another replica is handling are skipped.
   */
  public Uni<Optional<DeadLetter>> lockNextPending(SqlClient tx, Instant cutoff, List<UUID> skip) {
    return tx.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM dead_letter WHERE status = 'pending' AND received_at <= $1"
                + " AND NOT (id = ANY($2)) ORDER BY received_at, id LIMIT 1 FOR UPDATE SKIP LOCKED")
        .execute(Tuple.of(odt(cutoff), skip.toArray(new UUID[0])))
        .map(DeadLetters::first);
  }

  public Uni<Optional<DeadLetter>> lock(SqlClient tx, UUID id) {
    return tx.preparedQuery("SELECT " + COLUMNS + " FROM dead_letter WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .map(DeadLetters::first);
  }

  public Uni<Optional<DeadLetter>> find(SqlClient c, UUID id) {
    return c.preparedQuery("SELECT " + COLUMNS + " FROM dead_letter WHERE id = $1")
        .execute(Tuple.of(id))
        .map(DeadLetters::first);
  }

  public Uni<DeadLetter> markRedriven(SqlClient tx, UUID id, int redriveCount) {
    return tx.preparedQuery(
            "UPDATE dead_letter SET status = 'redriven', redrive_count = $2, park_reason = NULL,"
                + " last_error = NULL, redriven_at = now(), updated_at = now() WHERE id = $1"
                + " RETURNING "
                + COLUMNS)
        .execute(Tuple.of(id, redriveCount))
        .map(rows -> first(rows).orElseThrow());
  }

  public Uni<DeadLetter> markParked(SqlClient tx, UUID id, String reason) {
    return tx.preparedQuery(
            "UPDATE dead_letter SET status = 'parked', park_reason = $2, updated_at = now() WHERE"
                + " id = $1 RETURNING "
                + COLUMNS)
        .execute(Tuple.of(id, reason))
        .map(rows -> first(rows).orElseThrow());
  }

  /** A re-drive failed: the letter stays pending, with why. */
  public Uni<Void> markFailed(SqlClient tx, UUID id, String error) {
    return tx.preparedQuery(
            "UPDATE dead_letter SET last_error = $2, updated_at = now() WHERE id = $1")
        .execute(Tuple.of(id, error))
        .replaceWithVoid();
  }

  /** Forgets letters re-driven before {@code before} (they are back in their topic). */
  public Uni<Integer> deleteRedrivenBefore(SqlClient c, Instant before) {
    return c.preparedQuery("DELETE FROM dead_letter WHERE status = 'redriven' AND redriven_at < $1")
        .execute(Tuple.of(odt(before)))
        .map(RowSet::rowCount);
  }

  /** Newest first (received_at, id), of one status or all, after a cursor. */
  public Uni<List<DeadLetter>> list(
      SqlClient c, String status, Instant beforeReceived, UUID beforeId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM dead_letter WHERE true");
    List<Object> args = new ArrayList<>();
    if (status != null) {
      args.add(status);
      sql.append(" AND status = $").append(args.size());
    }
    if (beforeReceived != null) {
      args.add(odt(beforeReceived));
      int r = args.size();
      args.add(beforeId);
      int i = args.size();
      sql.append(" AND (received_at, id) < ($").append(r).append(", $").append(i).append(")");
    }
    args.add(limit);
    sql.append(" ORDER BY received_at DESC, id DESC LIMIT $").append(args.size());
    return c.preparedQuery(sql.toString())
        .execute(Tuple.from(args))
        .map(
            rows -> {
              List<DeadLetter> out = new ArrayList<>();
              rows.forEach(r -> out.add(letter(r)));
              return out;
            });
  }

  private static Optional<DeadLetter> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(letter(rows.iterator().next()));
  }

  static DeadLetter letter(Row r) {
    return new DeadLetter(
        r.getUUID("id"),
        r.getString("original_topic"),
        r.getInteger("original_partition"),
        r.getLong("original_offset"),
        bytes(r, "record_key"),
        bytes(r, "value"),
        DeadLetter.headersFrom((JsonArray) r.getValue("headers")),
        r.getString("reason"),
        r.getString("exception_class"),
        r.getString("cause_class"),
        r.getString("cause"),
        r.getInteger("dlq_partition"),
        r.getLong("dlq_offset"),
        instant(r.getOffsetDateTime("received_at")),
        r.getInteger("redrive_count"),
        r.getString("status"),
        r.getString("park_reason"),
        r.getString("last_error"),
        instant(r.getOffsetDateTime("redriven_at")),
        instant(r.getOffsetDateTime("updated_at")));
  }

  private static byte[] bytes(Row r, String column) {
    var buffer = r.getBuffer(column);
    return buffer == null ? null : buffer.getBytes();
  }

  private static Buffer buffer(byte[] bytes) {
    return bytes == null ? null : Buffer.buffer(bytes);
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  static OffsetDateTime odt(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
