package io.linkflow.execution.housekeeping;

import io.smallrye.mutiny.Uni;
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

/** SQL of the housekeeping jobs: retention, stale work, usage rollups. Across all workspaces. */
@ApplicationScoped
public class HousekeepingRepository {

  static final String TERMINAL = "('succeeded', 'failed', 'cancelled', 'timed_out')";
  static final String UNFINISHED = "('created', 'running', 'waiting')";

  /**
   * Deletes up to {@code limit} executions that finished before {@code before}, oldest first, with
   * their node runs (foreign key, on delete cascade). Rows locked by a running change are skipped
   * (they are picked up by the next batch or run). One statement, its own transaction.
   */
  public Uni<Integer> purge(SqlClient c, Instant before, int limit) {
    return c.preparedQuery(
            "DELETE FROM execution WHERE id IN (SELECT id FROM execution WHERE finished_at < $1"
                + " AND status IN "
                + TERMINAL
                + " ORDER BY finished_at LIMIT $2 FOR UPDATE SKIP LOCKED)")
        .execute(Tuple.of(odt(before), limit))
        .map(RowSet::rowCount);
  }

  /** An execution the stale-work check gave a timer again. */
  public record Requeued(UUID id, String status, UUID workflowId, Instant createdAt) {}

  /**
   * Stale work: an unfinished execution with no timer ({@code wake_at} null) that made no progress
   * (created, started, a node run started or finished) since {@code cutoff}, and that nothing else
   * will ever move on:
   *
   * <ul>
   *   <li>{@code running} or {@code waiting}: an execution in flight always has a timer (the
   *       earliest lease, wait or retry delay, at the latest its deadline), so none is stuck;
   *   <li>{@code created} without a concurrency limit: such an execution starts in the transaction
   *       that creates it, so it is stuck;
   *   <li>{@code created} behind a concurrency limit (queued): stuck only when it is among the
   *       first {@code limit - running/waiting} queued executions of its workflow (by creation,
   *       counting the ones already woken), i.e. a slot is free for it and the wake that the
   *       execution freeing the slot should have given was lost. One queued behind a full workflow,
   *       or behind an older queued one, is healthy and left alone.
   * </ul>
   *
   * Each gets {@code wake_at = now()} (queued ones 1 ms apart in queue order, so the sweeper
   * handles them in that order) and the sweeper re-evaluates it under its row lock: expired leases
   * are re-dispatched, due waits and retries run, queued executions start. The UPDATE re-checks
   * {@code wake_at IS NULL} and the status on the current row, so an execution that moved on
   * meanwhile is not touched. At most {@code limit} per call.
   */
  public Uni<List<Requeued>> requeueStale(SqlClient c, Instant cutoff, int limit) {
    String sql =
        "WITH candidate AS ("
            + " SELECT e.id, e.workflow_id, e.status, e.concurrency_limit FROM execution e"
            + " WHERE e.wake_at IS NULL AND e.status IN "
            + UNFINISHED
            + " AND e.created_at < $1 AND (e.started_at IS NULL OR e.started_at < $1)"
            + " AND NOT EXISTS (SELECT 1 FROM node_run n WHERE n.execution_id = e.id"
            + " AND (n.started_at >= $1 OR n.finished_at >= $1))"
            + " ORDER BY e.created_at LIMIT $2),"
            + " queue AS ("
            + " SELECT q.id,"
            + " row_number() OVER (PARTITION BY q.workflow_id ORDER BY q.created_at, q.id)"
            + " AS position,"
            + " q.concurrency_limit - (SELECT count(*) FROM execution s"
            + " WHERE s.workflow_id = q.workflow_id AND s.status IN ('running', 'waiting'))"
            + " AS free"
            + " FROM execution q WHERE q.status = 'created' AND q.workflow_id IN (SELECT"
            + " workflow_id FROM candidate WHERE status = 'created' AND concurrency_limit IS"
            + " NOT NULL)),"
            + " due AS ("
            + " SELECT c.id, 0::bigint AS position FROM candidate c"
            + " WHERE c.status <> 'created' OR c.concurrency_limit IS NULL"
            + " UNION ALL"
            + " SELECT c.id, q.position FROM candidate c JOIN queue q ON q.id = c.id"
            + " WHERE c.status = 'created' AND c.concurrency_limit IS NOT NULL"
            + " AND q.position <= q.free)"
            + " UPDATE execution x SET wake_at = now() + due.position * interval '1 millisecond'"
            + " FROM due WHERE x.id = due.id AND x.wake_at IS NULL AND x.status IN "
            + UNFINISHED
            + " RETURNING x.id, x.status, x.workflow_id, x.created_at";
    return c.preparedQuery(sql)
        .execute(Tuple.of(odt(cutoff), limit))
        .map(
            rows -> {
              List<Requeued> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new Requeued(
                        r.getUUID("id"),
                        r.getString("status"),
                        r.getUUID("workflow_id"),
                        r.getOffsetDateTime("created_at").toInstant()));
              }
              return out;
            });
  }

  /** Every hour before this one is rolled up; empty before the first rollup. */
  public Uni<Optional<Instant>> watermark(SqlClient c) {
    return c.preparedQuery("SELECT rolled_up_to FROM usage_rollup WHERE id = 1")
        .execute()
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getOffsetDateTime(0).toInstant()));
  }

  /** Moves the watermark forward to {@code to} (never back). */
  public Uni<Void> advanceWatermark(SqlClient tx, Instant to) {
    return tx.preparedQuery(
            "INSERT INTO usage_rollup (id, rolled_up_to) VALUES (1, $1) ON CONFLICT (id) DO UPDATE"
                + " SET rolled_up_to = GREATEST(usage_rollup.rolled_up_to, EXCLUDED.rolled_up_to),"
                + " updated_at = now()")
        .execute(Tuple.of(odt(to)))
        .replaceWithVoid();
  }

  /**
   * Recomputes the usage of {@code hour} from the executions that reached a terminal state in it
   * and upserts one row per workspace and workflow; a stored row is replaced only by numbers at
   * least as large (executions deleted since — retention, a person — still count). The number of
   * rows written.
   */
  public Uni<Integer> rollUpHour(SqlClient tx, Instant hour) {
    return tx.preparedQuery(
            "INSERT INTO usage_hourly (workspace_id, workflow_id, hour, executions, succeeded,"
                + " failed, cancelled, timed_out, node_runs, duration_ms_total, computed_at)"
                + " SELECT workspace_id, workflow_id, $1, count(*),"
                + " count(*) FILTER (WHERE status = 'succeeded'),"
                + " count(*) FILTER (WHERE status = 'failed'),"
                + " count(*) FILTER (WHERE status = 'cancelled'),"
                + " count(*) FILTER (WHERE status = 'timed_out'),"
                + " COALESCE(sum(node_runs), 0),"
                + " COALESCE(sum(GREATEST(0, floor(extract(epoch FROM (finished_at - created_at))"
                + " * 1000))), 0)::bigint,"
                + " now()"
                + " FROM execution WHERE finished_at >= $1 AND finished_at < $1 + interval '1 hour'"
                + " AND status IN "
                + TERMINAL
                + " GROUP BY workspace_id, workflow_id"
                + " ON CONFLICT (workspace_id, workflow_id, hour) DO UPDATE SET"
                + " executions = EXCLUDED.executions, succeeded = EXCLUDED.succeeded,"
                + " failed = EXCLUDED.failed, cancelled = EXCLUDED.cancelled,"
                + " timed_out = EXCLUDED.timed_out, node_runs = EXCLUDED.node_runs,"
                + " duration_ms_total = EXCLUDED.duration_ms_total,"
                + " computed_at = EXCLUDED.computed_at"
                + " WHERE usage_hourly.executions <= EXCLUDED.executions")
        .execute(Tuple.of(odt(hour)))
        .map(RowSet::rowCount);
  }

  /** One row of usage_hourly. */
  public record UsageRow(
      UUID workspaceId,
      UUID workflowId,
      Instant hour,
      long executions,
      long succeeded,
      long failed,
      long cancelled,
      long timedOut,
      long nodeRuns,
      long durationMsTotal) {}

  /** Where a page of usage rows continues: after this (hour, workspace, workflow). */
  public record UsageKey(Instant hour, UUID workspaceId, UUID workflowId) {}

  /**
   * Usage rows with {@code from <= hour < to}, of one workspace or all (null), in (hour, workspace,
   * workflow) order, after {@code after} when given; at most {@code limit}.
   */
  public Uni<List<UsageRow>> usage(
      SqlClient c, UUID workspaceId, Instant from, Instant to, UsageKey after, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT workspace_id, workflow_id, hour, executions, succeeded, failed, cancelled,"
                + " timed_out, node_runs, duration_ms_total FROM usage_hourly"
                + " WHERE hour >= $1 AND hour < $2");
    List<Object> args = new ArrayList<>(List.of(odt(from), odt(to)));
    if (workspaceId != null) {
      args.add(workspaceId);
      sql.append(" AND workspace_id = $").append(args.size());
    }
    if (after != null) {
      args.add(odt(after.hour()));
      int h = args.size();
      args.add(after.workspaceId());
      int w = args.size();
      args.add(after.workflowId());
      int f = args.size();
      sql.append(" AND (hour, workspace_id, workflow_id) > ($")
          .append(h)
          .append(", $")
          .append(w)
          .append(", $")
          .append(f)
          .append(")");
    }
    args.add(limit);
    sql.append(" ORDER BY hour, workspace_id, workflow_id LIMIT $").append(args.size());
    return c.preparedQuery(sql.toString())
        .execute(Tuple.from(args))
        .map(
            rows -> {
              List<UsageRow> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new UsageRow(
                        r.getUUID("workspace_id"),
                        r.getUUID("workflow_id"),
                        r.getOffsetDateTime("hour").toInstant(),
                        r.getLong("executions"),
                        r.getLong("succeeded"),
                        r.getLong("failed"),
                        r.getLong("cancelled"),
                        r.getLong("timed_out"),
                        r.getLong("node_runs"),
                        r.getLong("duration_ms_total")));
              }
              return out;
            });
  }

  static OffsetDateTime odt(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
