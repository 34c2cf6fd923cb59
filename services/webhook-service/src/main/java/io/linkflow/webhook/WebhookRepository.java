package io.linkflow.webhook;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQL of the webhook table. Every read names the workspace. */
@ApplicationScoped
public class WebhookRepository {

  static final String COLUMNS =
      "workspace_id, method, path, workflow_id, version_id, node_id, response_mode,"
          + " response_code, auth, signature, rate_limit_per_minute, credential_id, registered_at";

  /** Replaces the webhooks of {@code workflowId} with {@code hooks} (its newly active version). */
  public Uni<Void> replace(SqlClient tx, UUID workflowId, List<Webhook> hooks) {
    Uni<Void> deleted = remove(tx, workflowId);
    if (hooks.isEmpty()) {
      return deleted;
    }
    List<Tuple> rows = new ArrayList<>(hooks.size());
    for (Webhook h : hooks) {
      rows.add(
          Tuple.from(
              new Object[] {
                h.workspaceId(),
                h.method(),
                h.path(),
                h.workflowId(),
                h.versionId(),
                h.nodeId(),
                h.responseMode(),
                h.responseCode(),
                h.auth(),
                h.signature(),
                h.rateLimitPerMinute(),
                h.credentialId(),
                h.registeredAt().atOffset(ZoneOffset.UTC)
              }));
    }
    // ON CONFLICT: the newest activation wins should another workflow's deactivation (another
    // partition) not have arrived yet; workflow-service keeps active paths unique per workspace.
    return deleted.call(
        () ->
            tx.preparedQuery(
                    "INSERT INTO webhook ("
                        + COLUMNS
                        + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
                        + " ON CONFLICT (workspace_id, path, method) DO UPDATE SET"
                        + " workflow_id = EXCLUDED.workflow_id, version_id = EXCLUDED.version_id,"
                        + " node_id = EXCLUDED.node_id, response_mode = EXCLUDED.response_mode,"
                        + " response_code = EXCLUDED.response_code, auth = EXCLUDED.auth,"
                        + " signature = EXCLUDED.signature,"
                        + " rate_limit_per_minute = EXCLUDED.rate_limit_per_minute,"
                        + " credential_id = EXCLUDED.credential_id,"
                        + " registered_at = EXCLUDED.registered_at")
                .executeBatch(rows));
  }

  /** Removes every webhook of {@code workflowId}. */
  public Uni<Void> remove(SqlClient tx, UUID workflowId) {
    return tx.preparedQuery("DELETE FROM webhook WHERE workflow_id = $1")
        .execute(Tuple.of(workflowId))
        .replaceWithVoid();
  }

  /** The webhooks registered on {@code path} in the workspace, one per method. */
  public Uni<List<Webhook>> find(SqlClient c, UUID workspaceId, String path) {
    return c.preparedQuery(
            "SELECT " + COLUMNS + " FROM webhook WHERE workspace_id = $1 AND path = $2")
        .execute(Tuple.of(workspaceId, path))
        .map(WebhookRepository::rows);
  }

  /** The workspace's webhooks, by path and method. */
  public Uni<List<Webhook>> list(SqlClient c, UUID workspaceId) {
    return c.preparedQuery(
            "SELECT " + COLUMNS + " FROM webhook WHERE workspace_id = $1 ORDER BY path, method")
        .execute(Tuple.of(workspaceId))
        .map(WebhookRepository::rows);
  }

  private static List<Webhook> rows(RowSet<Row> rows) {
    List<Webhook> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(
          new Webhook(
              r.getUUID("workspace_id"),
              r.getString("method"),
              r.getString("path"),
              r.getUUID("workflow_id"),
              r.getUUID("version_id"),
              r.getString("node_id"),
              r.getString("response_mode"),
              r.getInteger("response_code"),
              r.getString("auth"),
              r.getString("signature"),
              r.getInteger("rate_limit_per_minute"),
              r.getUUID("credential_id"),
              r.getOffsetDateTime("registered_at").toInstant()));
    }
    return out;
  }
}
