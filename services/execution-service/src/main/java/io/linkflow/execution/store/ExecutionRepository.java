package io.linkflow.execution.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.common.paging.Cursor;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.engine.wire.Wire;
import io.linkflow.execution.engine.Effects.NodeRunRecord;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** SQL of executions and node runs. Every query names the workspace it may see. */
@ApplicationScoped
public class ExecutionRepository {

  static final String COLUMNS =
      "id, workspace_id, workflow_id, version_id, workflow_name, mode, status, trigger_node_id,"
          + " input::text AS input, state::text AS state, error::text AS error,"
          + " parent_execution_id, parent_node_run_id, retry_of, concurrency_limit, save_data,"
          + " node_runs, created_at, started_at, finished_at, deadline, wake_at";

  /** Summary columns for lists: no state, no input. */
  static final String SUMMARY_COLUMNS =
      "id, workspace_id, workflow_id, version_id, workflow_name, mode, status, trigger_node_id,"
          + " NULL::text AS input, NULL::text AS state, error::text AS error,"
          + " parent_execution_id, parent_node_run_id, retry_of, concurrency_limit, save_data,"
          + " node_runs, created_at, started_at, finished_at, deadline, wake_at";

  static final String INSERT_SQL =
      "INSERT INTO execution (id, workspace_id, workflow_id, version_id, workflow_name, mode,"
          + " status, trigger_node_id, input, state, error, parent_execution_id,"
          + " parent_node_run_id, retry_of, concurrency_limit, save_data, node_runs,"
          + " created_at, started_at, finished_at, deadline, wake_at) VALUES ($1, $2, $3, $4,"
          + " $5, $6, $7, $8, $9::text::json, $10::text::json, $11::text::json, $12, $13,"
          + " $14, $15, $16, $17, $18, $19, $20, $21, $22) ON CONFLICT (id) DO NOTHING";

  /** Inserts the execution; false when one with its id exists (a repeated request). */
  public Uni<Boolean> insert(SqlClient tx, ExecutionRow r) {
    return tx.preparedQuery(INSERT_SQL)
        .execute(insertTuple(r))
        .map(result -> result.rowCount() == 1);
  }

  /**
   * Inserts executions in one round trip; returns the ids that were inserted (the others existed:
   * repeated requests).
   */
  public Uni<Set<UUID>> insertAll(SqlClient tx, List<ExecutionRow> rows) {
    if (rows.isEmpty()) {
      return Uni.createFrom().item(Set.of());
    }
    List<Tuple> tuples = new ArrayList<>(rows.size());
    for (ExecutionRow r : rows) {
      tuples.add(insertTuple(r));
    }
    return tx.preparedQuery(INSERT_SQL)
        .executeBatch(tuples)
        .map(
            first -> {
              Set<UUID> inserted = new HashSet<>();
              RowSet<Row> result = first;
              for (ExecutionRow r : rows) {
                if (result.rowCount() == 1) {
                  inserted.add(r.id());
                }
                result = result.next();
              }
              return inserted;
            });
  }

  private static Tuple insertTuple(ExecutionRow r) {
    return Tuple.from(
        new Object[] {
          r.id(),
          r.workspaceId(),
          r.workflowId(),
          r.versionId(),
          r.workflowName(),
          r.mode(),
          r.status(),
          r.triggerNodeId(),
          r.input(),
          r.state() == null ? "{}" : r.state(),
          r.error(),
          r.parentExecutionId(),
          r.parentNodeRunId(),
          r.retryOf(),
          r.concurrencyLimit(),
          r.saveData(),
          r.nodeRuns(),
          odt(r.createdAt()),
          odt(r.startedAt()),
          odt(r.finishedAt()),
          odt(r.deadline()),
          odt(r.wakeAt())
        });
  }

  /** The execution, locked for the rest of the transaction. */
  public Uni<Optional<ExecutionRow>> lock(SqlClient tx, UUID id) {
    return tx.preparedQuery("SELECT " + COLUMNS + " FROM execution WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .map(ExecutionRepository::first);
  }

  /** The execution without a lock, in any workspace (internal use: consumers, the sweeper). */
  public Uni<Optional<ExecutionRow>> find(SqlClient c, UUID id) {
    return c.preparedQuery("SELECT " + COLUMNS + " FROM execution WHERE id = $1")
        .execute(Tuple.of(id))
        .map(ExecutionRepository::first);
  }

  public Uni<Optional<ExecutionRow>> get(SqlClient c, UUID workspaceId, UUID id) {
    return c.preparedQuery(
            "SELECT " + COLUMNS + " FROM execution WHERE id = $1 AND workspace_id = $2")
        .execute(Tuple.of(id, workspaceId))
        .map(ExecutionRepository::first);
  }

  /** Writes what an orchestrator step changed. */
  public Uni<Void> update(SqlClient tx, ExecutionRow r) {
    return tx.preparedQuery(
            "UPDATE execution SET status = $2, state = $3::text::json, error = $4::text::json,"
                + " node_runs = $5, started_at = $6, finished_at = $7, wake_at = $8,"
                + " input = $9::text::json WHERE id = $1")
        .execute(
            Tuple.from(
                new Object[] {
                  r.id(),
                  r.status(),
                  r.state(),
                  r.error(),
                  r.nodeRuns(),
                  odt(r.startedAt()),
                  odt(r.finishedAt()),
                  odt(r.wakeAt()),
                  r.input()
                }))
        .replaceWithVoid();
  }

  public Uni<Void> insertNodeRuns(SqlClient tx, UUID executionId, List<NodeRunRecord> runs) {
    return insertNodeRuns(tx, Map.of(executionId, runs));
  }

  /** Inserts the node runs of several executions in one round trip. */
  public Uni<Void> insertNodeRuns(SqlClient tx, Map<UUID, List<NodeRunRecord>> byExecution) {
    List<Tuple> rows = new ArrayList<>();
    byExecution.forEach(
        (executionId, runs) -> {
          for (NodeRunRecord r : runs) {
            rows.add(
                Tuple.from(
                    new Object[] {
                      r.id(),
                      executionId,
                      r.nodeId(),
                      r.nodeName(),
                      r.type(),
                      r.runIndex(),
                      r.attempt(),
                      r.status(),
                      json(r.input()),
                      json(r.output()),
                      json(r.error()),
                      odt(r.startedAt()),
                      odt(r.finishedAt())
                    }));
          }
        });
    if (rows.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return tx.preparedQuery(
            "INSERT INTO node_run (id, execution_id, node_id, node_name, node_type, run_index,"
                + " attempt, status, input, output, error, started_at, finished_at) VALUES ($1, $2,"
                + " $3, $4, $5, $6, $7, $8, $9::text::json, $10::text::json, $11::text::json,"
                + " $12, $13)")
        .executeBatch(rows)
        .replaceWithVoid();
  }

  /** Finishes node runs: status, output, error, times (the input stays as inserted). */
  public Uni<Void> updateNodeRuns(SqlClient tx, List<NodeRunRecord> runs) {
    if (runs.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Tuple> rows = new ArrayList<>(runs.size());
    for (NodeRunRecord r : runs) {
      rows.add(
          Tuple.from(
              new Object[] {
                r.id(),
                r.status(),
                json(r.output()),
                json(r.error()),
                odt(r.startedAt()),
                odt(r.finishedAt())
              }));
    }
    return tx.preparedQuery(
            "UPDATE node_run SET status = $2, output = $3::text::json, error = $4::text::json,"
                + " started_at = COALESCE($5, started_at), finished_at = $6 WHERE id = $1")
        .executeBatch(rows)
        .replaceWithVoid();
  }

  /** Drops the item data of an execution (its data-saving policy says not to keep it). */
  public Uni<Void> dropData(SqlClient tx, UUID executionId) {
    return tx.preparedQuery(
            "UPDATE node_run SET input = NULL, output = NULL WHERE execution_id = $1")
        .execute(Tuple.of(executionId))
        .replaceWithVoid();
  }

  /** Node runs of an execution in the order they started. */
  public Uni<List<NodeRunView>> nodeRuns(SqlClient c, UUID executionId) {
    return c.preparedQuery(
            "SELECT id, node_id, node_name, node_type, run_index, attempt, status, input::text AS"
                + " input, output::text AS output, error::text AS error, started_at, finished_at"
                + " FROM node_run WHERE execution_id = $1 ORDER BY seq")
        .execute(Tuple.of(executionId))
        .map(
            rows -> {
              List<NodeRunView> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new NodeRunView(
                        r.getUUID("id"),
                        r.getString("node_id"),
                        r.getString("node_name"),
                        r.getString("node_type"),
                        r.getInteger("run_index"),
                        r.getInteger("attempt"),
                        r.getString("status"),
                        r.getString("input"),
                        r.getString("output"),
                        r.getString("error"),
                        instant(r, "started_at"),
                        instant(r, "finished_at")));
              }
              return out;
            });
  }

  /** A node run as the API shows it; JSON columns as text. */
  public record NodeRunView(
      UUID id,
      String nodeId,
      String nodeName,
      String type,
      int runIndex,
      int attempt,
      String status,
      String input,
      String output,
      String error,
      Instant startedAt,
      Instant finishedAt) {}

  /** Filters of the list. */
  public record Filter(UUID workflowId, List<String> statuses, Instant from, Instant to) {}

  public Uni<List<ExecutionRow>> list(
      SqlClient c, UUID workspaceId, Filter filter, PageRequest page) {
    StringBuilder sql =
        new StringBuilder("SELECT " + SUMMARY_COLUMNS + " FROM execution WHERE workspace_id = $1");
    List<Object> args = new ArrayList<>();
    args.add(workspaceId);
    if (filter.workflowId() != null) {
      args.add(filter.workflowId());
      sql.append(" AND workflow_id = $").append(args.size());
    }
    if (filter.statuses() != null && !filter.statuses().isEmpty()) {
      args.add(filter.statuses().toArray(new String[0]));
      sql.append(" AND status = ANY($").append(args.size()).append(")");
    }
    if (filter.from() != null) {
      args.add(odt(filter.from()));
      sql.append(" AND created_at >= $").append(args.size());
    }
    if (filter.to() != null) {
      args.add(odt(filter.to()));
      sql.append(" AND created_at < $").append(args.size());
    }
    if (page.after().isPresent()) {
      Cursor after = page.after().get();
      args.add(OffsetDateTime.parse(after.sortKey()));
      int t = args.size();
      args.add(UUID.fromString(after.id()));
      int i = args.size();
      sql.append(" AND (created_at, id) < ($").append(t).append(", $").append(i).append(")");
    }
    args.add(page.fetchSize());
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT $").append(args.size());
    return c.preparedQuery(sql.toString())
        .execute(Tuple.from(args))
        .map(
            rows -> {
              List<ExecutionRow> out = new ArrayList<>();
              rows.forEach(r -> out.add(row(r)));
              return out;
            });
  }

  /** Executions whose timers are due, oldest first. */
  public Uni<List<UUID>> dueIds(SqlClient c, int limit) {
    return c.preparedQuery(
            "SELECT id FROM execution WHERE wake_at <= now() ORDER BY wake_at LIMIT $1")
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              List<UUID> ids = new ArrayList<>();
              rows.forEach(r -> ids.add(r.getUUID("id")));
              return ids;
            });
  }

  /** How many executions of the workflow hold a slot (running or waiting). */
  public Uni<Integer> slotsTaken(SqlClient tx, UUID workflowId) {
    return tx.preparedQuery(
            "SELECT count(*) FROM execution WHERE workflow_id = $1 AND status IN ('running',"
                + " 'waiting')")
        .execute(Tuple.of(workflowId))
        .map(rows -> rows.iterator().next().getLong(0).intValue());
  }

  /** Serialises slot decisions of one workflow until the transaction ends. */
  public Uni<Void> lockSlots(SqlClient tx, UUID workflowId) {
    return tx.preparedQuery("SELECT pg_advisory_xact_lock($1)")
        .execute(
            Tuple.of(workflowId.getMostSignificantBits() ^ workflowId.getLeastSignificantBits()))
        .replaceWithVoid();
  }

  /** Wakes the oldest execution of the workflow queued behind its concurrency limit. */
  public Uni<Void> wakeNextQueued(SqlClient tx, UUID workflowId) {
    return tx.preparedQuery(
            "UPDATE execution SET wake_at = now() WHERE id = (SELECT id FROM execution WHERE"
                + " workflow_id = $1 AND status = 'created' ORDER BY created_at, id LIMIT 1)")
        .execute(Tuple.of(workflowId))
        .replaceWithVoid();
  }

  /** Whether an older execution of the workflow is still queued (newer ones wait their turn). */
  public Uni<Boolean> olderQueued(SqlClient tx, UUID workflowId, Instant createdAt, UUID id) {
    return tx.preparedQuery(
            "SELECT EXISTS (SELECT 1 FROM execution WHERE workflow_id = $1 AND status = 'created'"
                + " AND (created_at, id) < ($2, $3))")
        .execute(Tuple.of(workflowId, odt(createdAt), id))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  public Uni<Boolean> delete(SqlClient tx, UUID workspaceId, UUID id) {
    return tx.preparedQuery("DELETE FROM execution WHERE id = $1 AND workspace_id = $2")
        .execute(Tuple.of(id, workspaceId))
        .map(r -> r.rowCount() == 1);
  }

  private static Optional<ExecutionRow> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(row(rows.iterator().next()));
  }

  static ExecutionRow row(Row r) {
    return new ExecutionRow(
        r.getUUID("id"),
        r.getUUID("workspace_id"),
        r.getUUID("workflow_id"),
        r.getUUID("version_id"),
        r.getString("workflow_name"),
        r.getString("mode"),
        r.getString("status"),
        r.getString("trigger_node_id"),
        r.getString("input"),
        r.getString("state"),
        r.getString("error"),
        r.getUUID("parent_execution_id"),
        r.getUUID("parent_node_run_id"),
        r.getUUID("retry_of"),
        r.getInteger("concurrency_limit"),
        r.getString("save_data"),
        r.getInteger("node_runs"),
        instant(r, "created_at"),
        instant(r, "started_at"),
        instant(r, "finished_at"),
        instant(r, "deadline"),
        instant(r, "wake_at"));
  }

  static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  static OffsetDateTime odt(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static String json(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof ObjectNode node) {
      return node.toString();
    }
    if (value instanceof Map<?, ?> map && map.isEmpty()) {
      return "{}";
    }
    return Wire.write(value);
  }
}
