package io.linkflow.schedule.firing;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A lease in {@code leader_lease}: whoever holds it (an instance id) until it expires is the
 * leader, and every change of holder increments its fencing {@code token}. All times are the
 * database's clock, so the replicas' clocks do not matter.
 *
 * <ul>
 *   <li>{@link #acquire}: one conditional {@code UPDATE … RETURNING} takes the lease when it
 *       expired (a new token) or renews it when the caller holds it (same token). Concurrent
 *       callers are serialised by the row lock: at most one gets a row back.
 *   <li>{@link #verify}: inside the leader's work transaction, {@code SELECT … FOR SHARE} checks
 *       the caller still holds the lease with its token and it has not expired. The shared row lock
 *       makes any takeover (an UPDATE of the row) wait until that transaction ends, so work
 *       committed under a verified token can never interleave with a successor's.
 *   <li>{@link #release}: expires the lease now, so a standby takes over at its next attempt.
 * </ul>
 */
public final class LeaderLease {

  /** The lease the scheduler's leader holds. */
  public static final String SCHEDULER = "scheduler";

  /**
   * A lease held.
   *
   * @param token the fencing token: the same for as long as the holder keeps renewing
   * @param expiresAt when it lapses unless renewed (database clock)
   * @param previousHolder who held the row before this call (the caller when renewing)
   */
  public record Held(long token, Instant expiresAt, String previousHolder) {}

  /** The row as it is, for operators and tests. */
  public record State(String holder, long token, Instant expiresAt, boolean expired) {}

  static final String ACQUIRE_SQL =
      "WITH previous AS (SELECT holder FROM leader_lease WHERE name = $1)"
          + " UPDATE leader_lease SET"
          + " token = CASE WHEN holder = $2 AND expires_at > now() THEN token ELSE token + 1 END,"
          + " acquired_at = CASE WHEN holder = $2 AND expires_at > now() THEN acquired_at"
          + " ELSE now() END,"
          + " holder = $2, renewed_at = now(),"
          + " expires_at = now() + $3::bigint * interval '1 millisecond'"
          + " WHERE name = $1 AND (holder = $2 OR expires_at <= now())"
          + " RETURNING token, expires_at, (SELECT holder FROM previous) AS previous_holder";

  static final String VERIFY_SQL =
      "SELECT clock_timestamp() AS now FROM leader_lease"
          + " WHERE name = $1 AND holder = $2 AND token = $3 AND expires_at > clock_timestamp()"
          + " FOR SHARE";

  private final String name;

  public LeaderLease(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Creates the lease row if it does not exist yet (expired, token 0). */
  public Uni<Void> ensure(SqlClient c) {
    return c.preparedQuery("INSERT INTO leader_lease (name) VALUES ($1) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(name))
        .replaceWithVoid();
  }

  /**
   * Takes the lease for {@code holder} if it is free or expired (with a new token), or renews it if
   * {@code holder} has it (same token), for {@code ttl}; empty when someone else holds it.
   */
  public Uni<Optional<Held>> acquire(SqlClient c, String holder, Duration ttl) {
    return c.preparedQuery(ACQUIRE_SQL)
        .execute(Tuple.of(name, holder, ttl.toMillis()))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                return Optional.empty();
              }
              Row r = rows.iterator().next();
              return Optional.of(
                  new Held(
                      r.getLong("token"),
                      r.getOffsetDateTime("expires_at").toInstant(),
                      r.getString("previous_holder")));
            });
  }

  /**
   * In a transaction: the database's current time if {@code holder} still holds the lease with
   * {@code token} and it has not expired — the row then stays share-locked, so nobody can take the
   * lease over, until the transaction ends; empty otherwise (the caller must step down).
   */
  public Uni<Optional<Instant>> verify(SqlClient tx, String holder, long token) {
    return tx.preparedQuery(VERIFY_SQL)
        .execute(Tuple.of(name, holder, token))
        .map(
            rows ->
                rows.rowCount() == 0
                    ? Optional.<Instant>empty()
                    : Optional.of(rows.iterator().next().getOffsetDateTime("now").toInstant()));
  }

  /**
   * Gives the lease up if {@code holder} holds it (holder ids are unique per instance, so whatever
   * token it has is this instance's); the token it held, or empty when it did not hold the lease.
   */
  public Uni<OptionalLong> release(SqlClient c, String holder) {
    return c.preparedQuery(
            "UPDATE leader_lease SET expires_at = now()"
                + " WHERE name = $1 AND holder = $2 AND expires_at > now() RETURNING token")
        .execute(Tuple.of(name, holder))
        .map(
            rows ->
                rows.rowCount() == 0
                    ? OptionalLong.empty()
                    : OptionalLong.of(rows.iterator().next().getLong("token")));
  }

  /** The lease row as it is now. */
  public Uni<Optional<State>> read(SqlClient c) {
    return c.preparedQuery(
            "SELECT holder, token, expires_at, expires_at <= now() AS expired"
                + " FROM leader_lease WHERE name = $1")
        .execute(Tuple.of(name))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                return Optional.empty();
              }
              Row r = rows.iterator().next();
              OffsetDateTime expires = r.getOffsetDateTime("expires_at");
              return Optional.of(
                  new State(
                      r.getString("holder"),
                      r.getLong("token"),
                      expires == null ? Instant.MIN : expires.toInstant(),
                      r.getBoolean("expired")));
            });
  }
}
