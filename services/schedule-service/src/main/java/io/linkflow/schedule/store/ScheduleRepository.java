package io.linkflow.schedule.store;

import io.linkflow.common.paging.Cursor;
import io.linkflow.common.paging.PageRequest;
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

/**
 * SQL of the {@code schedule} table (reactive PostgreSQL client). Every query the API makes names
 * the workspace; the scheduler's due query spans all of them.
 */
@ApplicationScoped
public class ScheduleRepository {

  static final String COLUMNS =
      "id, workspace_id, source, workflow_id, version_id, trigger_node_id, name, cron,"
          + " interval_seconds, timezone, missed_fire_policy, enabled, anchor_at, next_fire_at,"
          + " last_fire_at, created_at, updated_at";

  static final String INSERT_SQL =
      "INSERT INTO schedule ("
          + COLUMNS
          + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";

  /** A fire recorded: the schedule's new next fire time and, if it fired, the time it fired for. */
  public record Advance(UUID id, Instant nextFireAt, Instant lastFireAt) {}

  public Uni<Void> insert(SqlClient c, Schedule s) {
    return c.preparedQuery(INSERT_SQL).execute(Tuple.from(values(s))).replaceWithVoid();
  }

  public Uni<Void> insertAll(SqlClient c, List<Schedule> schedules) {
    if (schedules.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Tuple> rows = new ArrayList<>(schedules.size());
    for (Schedule s : schedules) {
      rows.add(Tuple.from(values(s)));
    }
    return c.preparedQuery(INSERT_SQL).executeBatch(rows).replaceWithVoid();
  }

  /** Writes every changeable column of {@code s} (found by id and workspace). */
  public Uni<Boolean> update(SqlClient c, Schedule s) {
    return c.preparedQuery(
            "UPDATE schedule SET version_id = $3, name = $4, workflow_id = $5, cron = $6,"
                + " interval_seconds = $7, timezone = $8, missed_fire_policy = $9, enabled = $10,"
                + " anchor_at = $11, next_fire_at = $12, updated_at = $13"
                + " WHERE id = $1 AND workspace_id = $2")
        .execute(
            Tuple.from(
                new Object[] {
                  s.id(),
                  s.workspaceId(),
                  s.versionId(),
                  s.name(),
                  s.workflowId(),
                  s.cron(),
                  s.intervalSeconds(),
                  s.timezone(),
                  s.missedFirePolicy(),
                  s.enabled(),
                  time(s.anchorAt()),
                  time(s.nextFireAt()),
                  time(s.updatedAt())
                }))
        .map(r -> r.rowCount() == 1);
  }

  public Uni<Optional<Schedule>> find(SqlClient c, UUID workspaceId, UUID id) {
    return c.preparedQuery(
            "SELECT " + COLUMNS + " FROM schedule WHERE id = $1 AND workspace_id = $2")
        .execute(Tuple.of(id, workspaceId))
        .map(rows -> rows(rows).stream().findFirst());
  }

  /** {@link #find}, locking the row until the transaction ends. */
  public Uni<Optional<Schedule>> findForUpdate(SqlClient tx, UUID workspaceId, UUID id) {
    return tx.preparedQuery(
            "SELECT " + COLUMNS + " FROM schedule WHERE id = $1 AND workspace_id = $2 FOR UPDATE")
        .execute(Tuple.of(id, workspaceId))
        .map(rows -> rows(rows).stream().findFirst());
  }

  /**
   * A page of the workspace's schedules in creation order, optionally only those of {@code
   * workflowId} and/or {@code source}; one more row than the page, to know there is a next.
   */
  public Uni<List<Schedule>> list(
      SqlClient c, UUID workspaceId, UUID workflowId, String source, PageRequest page) {
    Optional<Cursor> after = page.after();
    OffsetDateTime afterTime = null;
    UUID afterId = null;
    if (after.isPresent()) {
      try {
        afterTime = Instant.parse(after.get().sortKey()).atOffset(ZoneOffset.UTC);
        afterId = UUID.fromString(after.get().id());
      } catch (RuntimeException e) {
        throw new io.linkflow.common.error.ProblemException(
            400, "The cursor is not one this API issued.");
      }
    }
    return c.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM schedule WHERE workspace_id = $1"
                + " AND ($2::uuid IS NULL OR workflow_id = $2)"
                + " AND ($3::text IS NULL OR source = $3)"
                + " AND ($4::timestamptz IS NULL OR (created_at, id) > ($4, $5::uuid))"
                + " ORDER BY created_at, id LIMIT $6")
        .execute(
            Tuple.from(
                new Object[] {
                  workspaceId, workflowId, source, afterTime, afterId, page.fetchSize()
                }))
        .map(ScheduleRepository::rows);
  }

  public Uni<Boolean> delete(SqlClient c, UUID workspaceId, UUID id) {
    return c.preparedQuery("DELETE FROM schedule WHERE id = $1 AND workspace_id = $2")
        .execute(Tuple.of(id, workspaceId))
        .map(r -> r.rowCount() == 1);
  }

  /** The schedules kept from {@code workflowId}'s Schedule Triggers, locked. */
  public Uni<List<Schedule>> ofWorkflowForUpdate(SqlClient tx, UUID workspaceId, UUID workflowId) {
    return tx.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM schedule WHERE workflow_id = $1 AND workspace_id = $2"
                + " AND source = 'workflow' ORDER BY trigger_node_id FOR UPDATE")
        .execute(Tuple.of(workflowId, workspaceId))
        .map(ScheduleRepository::rows);
  }

  public Uni<Integer> deleteAll(SqlClient tx, List<UUID> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    return tx.preparedQuery("DELETE FROM schedule WHERE id = ANY($1)")
        .execute(Tuple.of(ids.toArray(UUID[]::new)))
        .map(RowSet::rowCount);
  }

  /** Deletes the schedules kept from {@code workflowId}'s Schedule Triggers; how many. */
  public Uni<Integer> removeWorkflowSchedules(SqlClient tx, UUID workspaceId, UUID workflowId) {
    return tx.preparedQuery(
            "DELETE FROM schedule WHERE workflow_id = $1 AND workspace_id = $2"
                + " AND source = 'workflow'")
        .execute(Tuple.of(workflowId, workspaceId))
        .map(RowSet::rowCount);
  }

  /** Disables the API schedules of {@code workflowId} (it was deleted); how many. */
  public Uni<Integer> disableApiSchedules(
      SqlClient tx, UUID workspaceId, UUID workflowId, Instant now) {
    return tx.preparedQuery(
            "UPDATE schedule SET enabled = false, next_fire_at = NULL, updated_at = $3"
                + " WHERE workflow_id = $1 AND workspace_id = $2 AND source = 'api' AND enabled")
        .execute(Tuple.of(workflowId, workspaceId, time(now)))
        .map(RowSet::rowCount);
  }

  /**
   * Up to {@code limit} enabled schedules due at {@code now}, oldest first, locked; rows another
   * transaction holds (an API change, another tick) are skipped, not waited for.
   */
  public Uni<List<Schedule>> dueForUpdate(SqlClient tx, Instant now, int limit) {
    return tx.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM schedule WHERE enabled AND next_fire_at <= $1"
                + " ORDER BY next_fire_at LIMIT $2 FOR UPDATE SKIP LOCKED")
        .execute(Tuple.of(time(now), limit))
        .map(ScheduleRepository::rows);
  }

  /** Records fires: new next fire times and, where something fired, the last fire time. */
  public Uni<Void> advance(SqlClient tx, List<Advance> advances) {
    if (advances.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Tuple> rows = new ArrayList<>(advances.size());
    for (Advance a : advances) {
      rows.add(Tuple.of(a.id(), time(a.nextFireAt()), time(a.lastFireAt())));
    }
    return tx.preparedQuery(
            "UPDATE schedule SET next_fire_at = $2,"
                + " last_fire_at = COALESCE($3, last_fire_at) WHERE id = $1")
        .executeBatch(rows)
        .replaceWithVoid();
  }

  private static Object[] values(Schedule s) {
    return new Object[] {
      s.id(),
      s.workspaceId(),
      s.source(),
      s.workflowId(),
      s.versionId(),
      s.triggerNodeId(),
      s.name(),
      s.cron(),
      s.intervalSeconds(),
      s.timezone(),
      s.missedFirePolicy(),
      s.enabled(),
      time(s.anchorAt()),
      time(s.nextFireAt()),
      time(s.lastFireAt()),
      time(s.createdAt()),
      time(s.updatedAt())
    };
  }

  static OffsetDateTime time(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime value = r.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }

  static List<Schedule> rows(RowSet<Row> rows) {
    List<Schedule> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(
          new Schedule(
              r.getUUID("id"),
              r.getUUID("workspace_id"),
              r.getString("source"),
              r.getUUID("workflow_id"),
              r.getUUID("version_id"),
              r.getString("trigger_node_id"),
              r.getString("name"),
              r.getString("cron"),
              r.getInteger("interval_seconds"),
              r.getString("timezone"),
              r.getString("missed_fire_policy"),
              r.getBoolean("enabled"),
              instant(r, "anchor_at"),
              instant(r, "next_fire_at"),
              instant(r, "last_fire_at"),
              instant(r, "created_at"),
              instant(r, "updated_at")));
    }
    return out;
  }
}
