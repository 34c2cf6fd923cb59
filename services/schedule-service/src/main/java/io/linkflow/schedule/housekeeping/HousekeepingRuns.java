package io.linkflow.schedule.housekeeping;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** SQL of {@code housekeeping_run}: claiming a slot, recording its outcome, listing runs. */
@ApplicationScoped
public class HousekeepingRuns {

  static final String SUCCEEDED = "succeeded";
  static final String FAILED = "failed";

  static final String COLUMNS =
      "job, slot, trigger, replica, started_at, finished_at, outcome, items, detail";

  /** A run as stored and as the operator API shows it. */
  public record Run(
      String job,
      Instant slot,
      String trigger,
      String replica,
      Instant startedAt,
      Instant finishedAt,
      String outcome,
      Long items,
      String detail) {}

  /**
   * Claims {@code (job, slot)} for this replica: true when this INSERT created the row (run it),
   * false when another replica (or an earlier call) has it already.
   */
  public Uni<Boolean> claim(SqlClient c, String job, Instant slot, String trigger, String replica) {
    return c.preparedQuery(
            "INSERT INTO housekeeping_run (job, slot, trigger, replica) VALUES ($1, $2, $3, $4)"
                + " ON CONFLICT (job, slot) DO NOTHING")
        .execute(Tuple.of(job, odt(slot), trigger, replica))
        .map(r -> r.rowCount() == 1);
  }

  /** Records how the claimed run ended; the row as stored. */
  public Uni<Run> finish(
      SqlClient c, String job, Instant slot, String outcome, long items, String detail) {
    return c.preparedQuery(
            "UPDATE housekeeping_run SET finished_at = now(), outcome = $3, items = $4, detail = $5"
                + " WHERE job = $1 AND slot = $2 RETURNING "
                + COLUMNS)
        .execute(Tuple.of(job, odt(slot), outcome, items, detail))
        .map(rows -> run(rows.iterator().next()));
  }

  /** Forgets runs of {@code job} older than {@code keep}. */
  public Uni<Integer> prune(SqlClient c, String job, Duration keep) {
    return c.preparedQuery(
            "DELETE FROM housekeeping_run WHERE job = $1 AND slot < now() - $2::bigint *"
                + " interval '1 millisecond'")
        .execute(Tuple.of(job, keep.toMillis()))
        .map(RowSet::rowCount);
  }

  /** The newest runs (of one job, or all), newest slot first, after a (slot, job) cursor. */
  public Uni<List<Run>> latest(
      SqlClient c, String job, Instant beforeSlot, String beforeJob, int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT " + COLUMNS + " FROM housekeeping_run WHERE true");
    List<Object> args = new ArrayList<>();
    if (job != null) {
      args.add(job);
      sql.append(" AND job = $").append(args.size());
    }
    if (beforeSlot != null) {
      args.add(odt(beforeSlot));
      int s = args.size();
      args.add(beforeJob);
      int j = args.size();
      sql.append(" AND (slot, job) < ($").append(s).append(", $").append(j).append(")");
    }
    args.add(limit);
    sql.append(" ORDER BY slot DESC, job DESC LIMIT $").append(args.size());
    return c.preparedQuery(sql.toString())
        .execute(Tuple.from(args))
        .map(
            rows -> {
              List<Run> out = new ArrayList<>();
              rows.forEach(r -> out.add(run(r)));
              return out;
            });
  }

  /** When each job last succeeded (finished), for the metrics after a restart. */
  public Uni<Map<String, Instant>> lastSuccesses(SqlClient c) {
    return c.preparedQuery(
            "SELECT job, max(finished_at) AS at FROM housekeeping_run WHERE outcome = 'succeeded'"
                + " GROUP BY job")
        .execute()
        .map(
            rows -> {
              Map<String, Instant> out = new HashMap<>();
              rows.forEach(r -> out.put(r.getString("job"), r.getOffsetDateTime("at").toInstant()));
              return out;
            });
  }

  static Run run(Row r) {
    return new Run(
        r.getString("job"),
        r.getOffsetDateTime("slot").toInstant(),
        r.getString("trigger"),
        r.getString("replica"),
        instant(r.getOffsetDateTime("started_at")),
        instant(r.getOffsetDateTime("finished_at")),
        r.getString("outcome"),
        r.getLong("items"),
        r.getString("detail"));
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  static OffsetDateTime odt(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
