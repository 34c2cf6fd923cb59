package io.linkflow.workflow.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.workflow.model.Definition;
import io.linkflow.workflow.model.Folder;
import io.linkflow.workflow.model.Version;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Workflows, versions, folders, webhook claims and execute requests; every query is scoped. */
@ApplicationScoped
public class WorkflowRepository {

  private static final String HEAD =
      "w.id, w.workspace_id, w.name, w.description, w.folder_id, w.tags, w.version, w.version_id,"
          + " w.revision, w.active_version_id, w.created_by, w.created_at, w.updated_by,"
          + " w.updated_at";

  /** A webhook path held by another active workflow. */
  public record Claim(String method, String path, UUID workflowId, String workflowName) {}

  /** A stored execute request. */
  public record ExecuteRequest(UUID workflowId, UUID versionId, UUID executionId) {}

  /** A tag and how many workflows carry it. */
  public record TagCount(String name, long workflows) {}

  private final ObjectMapper mapper;

  public WorkflowRepository(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  // ---- workflows ------------------------------------------------------------------------------

  public Uni<Void> insert(
      SqlClient tx,
      UUID workspaceId,
      UUID id,
      String name,
      String description,
      UUID folderId,
      List<String> tags,
      UUID versionId,
      String actor) {
    return tx.preparedQuery(
            "INSERT INTO workflow (id, workspace_id, name, description, folder_id, tags, version,"
                + " version_id, created_by, updated_by) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8,"
                + " $8)")
        .execute(
            Tuple.from(
                new Object[] {
                  id,
                  workspaceId,
                  name,
                  description,
                  folderId,
                  tags.toArray(new String[0]),
                  versionId,
                  actor
                }))
        .replaceWithVoid();
  }

  public Uni<Void> insertVersion(
      SqlClient tx,
      UUID workspaceId,
      UUID workflowId,
      UUID versionId,
      int version,
      String name,
      Definition definition,
      Integer restoredFrom,
      String actor) {
    return tx.preparedQuery(
            "INSERT INTO workflow_version (id, workflow_id, workspace_id, version, name,"
                + " definition, restored_from, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .execute(
            Tuple.from(
                new Object[] {
                  versionId,
                  workflowId,
                  workspaceId,
                  version,
                  name,
                  toJson(definition),
                  restoredFrom,
                  actor
                }))
        .replaceWithVoid();
  }

  /** The head with its latest definition; {@code lock} takes the row for the transaction. */
  public Uni<Optional<WorkflowRow>> find(SqlClient c, UUID workspaceId, UUID id, boolean lock) {
    return c.preparedQuery(
            "SELECT "
                + HEAD
                + ", v.definition FROM workflow w JOIN workflow_version v ON v.id = w.version_id"
                + " WHERE w.workspace_id = $1 AND w.id = $2 AND w.deleted_at IS NULL"
                + (lock ? " FOR UPDATE OF w" : ""))
        .execute(Tuple.of(workspaceId, id))
        .map(rows -> first(rows).map(this::toRow));
  }

  /** Replaces the head after a new version (and bumps the revision). */
  public Uni<Void> updateHead(
      SqlClient tx,
      UUID workspaceId,
      UUID id,
      String name,
      String description,
      UUID folderId,
      List<String> tags,
      int version,
      UUID versionId,
      UUID activeVersionId,
      String actor) {
    return tx.preparedQuery(
            "UPDATE workflow SET name = $3, description = $4, folder_id = $5, tags = $6,"
                + " version = $7, version_id = $8, active_version_id = $9::uuid, active = ($9::uuid IS NOT"
                + " NULL), updated_by = $10, updated_at = now(), revision = revision + 1"
                + " WHERE workspace_id = $1 AND id = $2")
        .execute(
            Tuple.from(
                new Object[] {
                  workspaceId,
                  id,
                  name,
                  description,
                  folderId,
                  tags.toArray(new String[0]),
                  version,
                  versionId,
                  activeVersionId,
                  actor
                }))
        .replaceWithVoid();
  }

  public Uni<Void> setActiveVersion(
      SqlClient tx, UUID workspaceId, UUID id, UUID activeVersionId, String actor) {
    return tx.preparedQuery(
            "UPDATE workflow SET active_version_id = $3::uuid, active = ($3::uuid IS NOT NULL),"
                + " updated_by = $4, updated_at = now(), revision = revision + 1"
                + " WHERE workspace_id = $1 AND id = $2")
        .execute(Tuple.of(workspaceId, id, activeVersionId, actor))
        .replaceWithVoid();
  }

  public Uni<Void> softDelete(SqlClient tx, UUID workspaceId, UUID id, String actor) {
    return tx.preparedQuery(
            "UPDATE workflow SET deleted_at = now(), active = false, active_version_id = NULL,"
                + " updated_by = $3, updated_at = now(), revision = revision + 1"
                + " WHERE workspace_id = $1 AND id = $2")
        .execute(Tuple.of(workspaceId, id, actor))
        .replaceWithVoid();
  }

  public Uni<Boolean> exists(SqlClient c, UUID workspaceId, UUID id) {
    return c.preparedQuery(
            "SELECT 1 FROM workflow WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL")
        .execute(Tuple.of(workspaceId, id))
        .map(rows -> rows.size() > 0);
  }

  /**
   * A page ordered by name: {@code query} matches names (case-insensitive substring), every tag in
   * {@code tags} must be carried, {@code folderId} and {@code active} filter when set.
   */
  public Uni<List<WorkflowRow>> page(
      SqlClient c,
      UUID workspaceId,
      String query,
      List<String> tags,
      UUID folderId,
      Boolean active,
      PageRequest page) {
    String afterName = page.after().map(a -> a.sortKey()).orElse(null);
    String afterId = page.after().map(a -> a.id()).orElse(null);
    return c.preparedQuery(
            "SELECT "
                + HEAD
                + ", NULL AS definition FROM workflow w WHERE w.workspace_id = $1"
                + " AND w.deleted_at IS NULL"
                + " AND ($2::text IS NULL OR strpos(lower(w.name), lower($2)) > 0)"
                + " AND w.tags @> $3::text[]"
                + " AND ($4::uuid IS NULL OR w.folder_id = $4)"
                + " AND ($5::boolean IS NULL OR w.active = $5)"
                + " AND ($6::text IS NULL OR (lower(w.name), w.id) > ($6, $7::uuid))"
                + " ORDER BY lower(w.name), w.id LIMIT $8")
        .execute(
            Tuple.from(
                new Object[] {
                  workspaceId,
                  query,
                  tags.toArray(new String[0]),
                  folderId,
                  active,
                  afterName,
                  afterId,
                  page.fetchSize()
                }))
        .map(rows -> all(rows, this::toRow));
  }

  public Uni<List<TagCount>> tags(SqlClient c, UUID workspaceId) {
    return c.preparedQuery(
            "SELECT tag, count(*) AS n FROM workflow, unnest(tags) AS tag WHERE workspace_id = $1"
                + " AND deleted_at IS NULL GROUP BY tag ORDER BY tag")
        .execute(Tuple.of(workspaceId))
        .map(rows -> all(rows, r -> new TagCount(r.getString("tag"), r.getLong("n"))));
  }

  // ---- versions -------------------------------------------------------------------------------

  /** Versions newest first; the cursor's sort key is the version number. */
  public Uni<List<Version>> versions(
      SqlClient c, UUID workspaceId, UUID workflowId, PageRequest page) {
    Integer before = page.after().map(a -> Integer.valueOf(a.sortKey())).orElse(null);
    return c.preparedQuery(
            "SELECT id, workflow_id, version, name, restored_from, created_by, created_at"
                + " FROM workflow_version WHERE workspace_id = $1 AND workflow_id = $2"
                + " AND ($3::int IS NULL OR version < $3) ORDER BY version DESC LIMIT $4")
        .execute(Tuple.of(workspaceId, workflowId, before, page.fetchSize()))
        .map(rows -> all(rows, r -> toVersion(r, null)));
  }

  public Uni<Optional<Version>> version(
      SqlClient c, UUID workspaceId, UUID workflowId, int version) {
    return c.preparedQuery(
            "SELECT id, workflow_id, version, name, restored_from, created_by, created_at,"
                + " definition FROM workflow_version WHERE workspace_id = $1 AND workflow_id = $2"
                + " AND version = $3")
        .execute(Tuple.of(workspaceId, workflowId, version))
        .map(rows -> first(rows).map(r -> toVersion(r, definition(r))));
  }

  /** Any version by its id (deleted workflows' versions included: executions pinned them). */
  public Uni<Optional<Version>> versionById(SqlClient c, UUID workspaceId, UUID versionId) {
    return c.preparedQuery(
            "SELECT id, workflow_id, version, name, restored_from, created_by, created_at,"
                + " definition FROM workflow_version WHERE workspace_id = $1 AND id = $2")
        .execute(Tuple.of(workspaceId, versionId))
        .map(rows -> first(rows).map(r -> toVersion(r, definition(r))));
  }

  // ---- folders --------------------------------------------------------------------------------

  public Uni<Void> insertFolder(
      SqlClient tx, UUID workspaceId, UUID id, String name, String actor) {
    return tx.preparedQuery(
            "INSERT INTO folder (id, workspace_id, name, created_by) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(id, workspaceId, name, actor))
        .replaceWithVoid();
  }

  public Uni<Optional<Folder>> folder(SqlClient c, UUID workspaceId, UUID id) {
    return c.preparedQuery(
            "SELECT id, name, created_by, created_at FROM folder WHERE workspace_id = $1 AND id ="
                + " $2")
        .execute(Tuple.of(workspaceId, id))
        .map(rows -> first(rows).map(WorkflowRepository::toFolder));
  }

  public Uni<List<Folder>> folders(SqlClient c, UUID workspaceId) {
    return c.preparedQuery(
            "SELECT id, name, created_by, created_at FROM folder WHERE workspace_id = $1"
                + " ORDER BY lower(name), id")
        .execute(Tuple.of(workspaceId))
        .map(rows -> all(rows, WorkflowRepository::toFolder));
  }

  public Uni<Integer> renameFolder(SqlClient tx, UUID workspaceId, UUID id, String name) {
    return tx.preparedQuery("UPDATE folder SET name = $3 WHERE workspace_id = $1 AND id = $2")
        .execute(Tuple.of(workspaceId, id, name))
        .map(RowSet::rowCount);
  }

  public Uni<Long> workflowsIn(SqlClient c, UUID workspaceId, UUID folderId) {
    return c.preparedQuery(
            "SELECT count(*) FROM workflow WHERE workspace_id = $1 AND folder_id = $2"
                + " AND deleted_at IS NULL")
        .execute(Tuple.of(workspaceId, folderId))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Deletes the folder; deleted workflows that were in it lose their folder. */
  public Uni<Integer> deleteFolder(SqlClient tx, UUID workspaceId, UUID id) {
    return tx.preparedQuery(
            "UPDATE workflow SET folder_id = NULL WHERE workspace_id = $1 AND folder_id = $2")
        .execute(Tuple.of(workspaceId, id))
        .flatMap(
            ignored ->
                tx.preparedQuery("DELETE FROM folder WHERE workspace_id = $1 AND id = $2")
                    .execute(Tuple.of(workspaceId, id)))
        .map(RowSet::rowCount);
  }

  // ---- webhook claims -------------------------------------------------------------------------

  /** Claims of other workflows on any of {@code keys} ({@code METHOD path}). */
  public Uni<List<Claim>> conflictingClaims(
      SqlClient c, UUID workspaceId, UUID workflowId, List<String> keys) {
    return c.preparedQuery(
            "SELECT c.method, c.path, c.workflow_id, w.name FROM webhook_claim c"
                + " JOIN workflow w ON w.id = c.workflow_id WHERE c.workspace_id = $1"
                + " AND c.workflow_id <> $2 AND (c.method || ' ' || c.path) = ANY($3)")
        .execute(Tuple.of(workspaceId, workflowId, keys.toArray(new String[0])))
        .map(
            rows ->
                all(
                    rows,
                    r ->
                        new Claim(
                            r.getString("method"),
                            r.getString("path"),
                            r.getUUID("workflow_id"),
                            r.getString("name"))));
  }

  /** Makes {@code claims} ({@code METHOD path} → node id) the workflow's only claims. */
  public Uni<Void> replaceClaims(
      SqlClient tx, UUID workspaceId, UUID workflowId, Map<String, String> claims) {
    Uni<Void> chain =
        tx.preparedQuery("DELETE FROM webhook_claim WHERE workspace_id = $1 AND workflow_id = $2")
            .execute(Tuple.of(workspaceId, workflowId))
            .replaceWithVoid();
    for (Map.Entry<String, String> claim : claims.entrySet()) {
      String[] methodPath = claim.getKey().split(" ", 2);
      chain =
          chain.call(
              () ->
                  tx.preparedQuery(
                          "INSERT INTO webhook_claim (workspace_id, method, path, workflow_id,"
                              + " node_id) VALUES ($1, $2, $3, $4, $5)")
                      .execute(
                          Tuple.of(
                              workspaceId,
                              methodPath[0],
                              methodPath[1],
                              workflowId,
                              claim.getValue())));
    }
    return chain;
  }

  // ---- execute requests -----------------------------------------------------------------------

  /** Records the key; empty when it was already used (then {@link #executeRequest} has it). */
  public Uni<Boolean> insertExecuteRequest(
      SqlClient tx,
      UUID workspaceId,
      String key,
      UUID workflowId,
      UUID versionId,
      UUID executionId) {
    return tx.preparedQuery(
            "INSERT INTO execute_request (workspace_id, idempotency_key, workflow_id, version_id,"
                + " execution_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(workspaceId, key, workflowId, versionId, executionId))
        .map(rows -> rows.rowCount() == 1);
  }

  public Uni<Optional<ExecuteRequest>> executeRequest(SqlClient c, UUID workspaceId, String key) {
    return c.preparedQuery(
            "SELECT workflow_id, version_id, execution_id FROM execute_request"
                + " WHERE workspace_id = $1 AND idempotency_key = $2")
        .execute(Tuple.of(workspaceId, key))
        .map(
            rows ->
                first(rows)
                    .map(
                        r ->
                            new ExecuteRequest(
                                r.getUUID("workflow_id"),
                                r.getUUID("version_id"),
                                r.getUUID("execution_id"))));
  }

  public Uni<Integer> forgetExecuteRequestsBefore(SqlClient c, java.time.Duration age) {
    return c.preparedQuery(
            "DELETE FROM execute_request WHERE created_at < now() - make_interval(secs => $1)")
        .execute(Tuple.of((double) age.toSeconds()))
        .map(RowSet::rowCount);
  }

  // ---- mapping --------------------------------------------------------------------------------

  private WorkflowRow toRow(Row r) {
    String[] tags = r.getArrayOfStrings("tags");
    return new WorkflowRow(
        r.getUUID("id"),
        r.getUUID("workspace_id"),
        r.getString("name"),
        r.getString("description"),
        r.getUUID("folder_id"),
        tags == null ? List.of() : Arrays.asList(tags),
        r.getInteger("version"),
        r.getUUID("version_id"),
        r.getInteger("revision"),
        r.getUUID("active_version_id"),
        r.getValue("definition") == null ? new Definition(null, null, null) : definition(r),
        r.getString("created_by"),
        r.getOffsetDateTime("created_at"),
        r.getString("updated_by"),
        r.getOffsetDateTime("updated_at"));
  }

  private Version toVersion(Row r, Definition definition) {
    return new Version(
        r.getUUID("id").toString(),
        r.getUUID("workflow_id").toString(),
        r.getInteger("version"),
        r.getString("name"),
        r.getInteger("restored_from"),
        r.getString("created_by"),
        r.getOffsetDateTime("created_at"),
        definition == null ? null : definition.nodes(),
        definition == null ? null : definition.connections(),
        definition == null ? null : definition.settings());
  }

  private static Folder toFolder(Row r) {
    return new Folder(
        r.getUUID("id").toString(),
        r.getString("name"),
        r.getString("created_by"),
        r.getOffsetDateTime("created_at"));
  }

  private Definition definition(Row r) {
    try {
      return mapper.readValue(r.getJsonObject("definition").encode(), Definition.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonObject toJson(Definition definition) {
    try {
      return new JsonObject(mapper.writeValueAsString(definition));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
  }

  private static <T> List<T> all(RowSet<Row> rows, java.util.function.Function<Row, T> map) {
    List<T> out = new ArrayList<>(rows.size());
    for (Row row : rows) {
      out.add(map.apply(row));
    }
    return out;
  }
}
