package io.linkflow.credential;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.common.paging.PageRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Credentials in PostgreSQL; every query is scoped to a workspace. */
@ApplicationScoped
public class CredentialRepository {

  private static final String COLUMNS =
      "id, workspace_id, name, type, status, status_reason, public_data::text AS public_data,"
          + " secret_fields, data_sealed, master_key_id, token_expires_at, version, created_by,"
          + " updated_by, created_at, updated_at";

  /**
   * What a write stores: the name, status, the non-secret fields, the names of the secret fields
   * with a value, the sealed field object and its master key, and the OAuth2 token expiry.
   */
  public record Fields(
      String name,
      String status,
      String statusReason,
      ObjectNode publicData,
      List<String> secretFields,
      byte[] sealed,
      int masterKeyId,
      Instant tokenExpiresAt) {}

  private final ObjectMapper json;

  public CredentialRepository(ObjectMapper json) {
    this.json = json;
  }

  public Uni<Void> insert(
      SqlClient tx, UUID workspaceId, UUID id, String type, Fields fields, String actor) {
    return tx.preparedQuery(
            "INSERT INTO credential (workspace_id, id, type, name, status, status_reason,"
                + " public_data, secret_fields, data_sealed, master_key_id, token_expires_at,"
                + " created_by, updated_by)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $12)")
        .execute(write(workspaceId, id, type, fields, actor))
        .replaceWithVoid();
  }

  /**
   * Replaces everything a write changes, if the row is still at {@code version}; answers whether it
   * was.
   */
  public Uni<Boolean> update(
      SqlClient tx, UUID workspaceId, UUID id, long version, Fields fields, String actor) {
    return tx.preparedQuery(
            "UPDATE credential SET name = $4, status = $5, status_reason = $6,"
                + " public_data = $7::jsonb, secret_fields = $8, data_sealed = $9,"
                + " master_key_id = $10, token_expires_at = $11, updated_by = $12,"
                + " refresh_claimed_until = NULL, version = version + 1, updated_at = now()"
                + " WHERE workspace_id = $1 AND id = $2 AND version = $3")
        .execute(write(workspaceId, id, version, fields, actor))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Changes only the status, if the row is still at {@code version}; answers whether it was. */
  public Uni<Boolean> updateStatus(
      SqlClient tx, UUID workspaceId, UUID id, long version, String status, String reason) {
    return tx.preparedQuery(
            "UPDATE credential SET status = $4, status_reason = $5, refresh_claimed_until = NULL,"
                + " version = version + 1, updated_at = now()"
                + " WHERE workspace_id = $1 AND id = $2 AND version = $3")
        .execute(Tuple.from(new Object[] {workspaceId, id, version, status, reason}))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The credential, or a 404 problem when it is not in {@code workspaceId}. */
  public Uni<StoredCredential> require(SqlClient client, UUID workspaceId, UUID id, boolean lock) {
    return find(client, workspaceId, id, lock)
        .map(found -> found.orElseThrow(CredentialService::notFound));
  }

  public Uni<Optional<StoredCredential>> find(
      SqlClient client, UUID workspaceId, UUID id, boolean lock) {
    return client
        .preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM credential WHERE workspace_id = $1 AND id = $2"
                + (lock ? " FOR UPDATE" : ""))
        .execute(Tuple.of(workspaceId, id))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
  }

  /**
   * A page ordered by name; {@code type} filters by type, {@code search} matches names containing
   * it, case-insensitively.
   */
  public Uni<List<StoredCredential>> page(
      SqlClient client, UUID workspaceId, String type, String search, PageRequest page) {
    String afterName = page.after().map(c -> c.sortKey()).orElse(null);
    String afterId = page.after().map(c -> c.id()).orElse(null);
    return client
        .preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM credential WHERE workspace_id = $1"
                + " AND ($2::text IS NULL OR type = $2)"
                + " AND ($3::text IS NULL OR lower(name) LIKE '%' || lower($3) || '%')"
                + " AND ($4::text IS NULL OR (name, id) > ($4, $5::uuid))"
                + " ORDER BY name, id LIMIT $6")
        .execute(
            Tuple.from(
                new Object[] {
                  workspaceId, type, escapeLike(search), afterName, afterId, page.fetchSize()
                }))
        .map(
            rows -> {
              List<StoredCredential> found = new ArrayList<>();
              rows.forEach(row -> found.add(read(row)));
              return found;
            });
  }

  public Uni<Void> delete(SqlClient tx, UUID workspaceId, UUID id) {
    return tx.preparedQuery("DELETE FROM credential WHERE workspace_id = $1 AND id = $2")
        .execute(Tuple.of(workspaceId, id))
        .replaceWithVoid();
  }

  /**
   * Claims up to {@code limit} OAuth2 credentials whose access token expires within {@code
   * leadSeconds} for {@code claimSeconds} (rows other replicas hold are skipped); answers {@code
   * (workspace id, id)} pairs.
   */
  public Uni<List<UUID[]>> claimDueForRefresh(
      SqlClient tx, String type, long leadSeconds, long claimSeconds, int limit) {
    return tx.preparedQuery(
            "UPDATE credential SET refresh_claimed_until = now() + make_interval(secs => $3)"
                + " WHERE id IN (SELECT id FROM credential WHERE type = $1 AND status = 'ready'"
                + " AND token_expires_at IS NOT NULL"
                + " AND token_expires_at < now() + make_interval(secs => $2)"
                + " AND (refresh_claimed_until IS NULL OR refresh_claimed_until < now())"
                + " ORDER BY token_expires_at LIMIT $4 FOR UPDATE SKIP LOCKED)"
                + " RETURNING workspace_id, id")
        .execute(Tuple.of(type, (double) leadSeconds, (double) claimSeconds, limit))
        .map(
            rows -> {
              List<UUID[]> claimed = new ArrayList<>();
              rows.forEach(
                  row -> claimed.add(new UUID[] {row.getUUID("workspace_id"), row.getUUID("id")}));
              return claimed;
            });
  }

  /** $1–$3 as given, then the written fields ($4–$11) and the actor ($12). */
  private static Tuple write(UUID workspaceId, UUID id, Object third, Fields fields, String actor) {
    return Tuple.from(
        new Object[] {
          workspaceId,
          id,
          third,
          fields.name(),
          fields.status(),
          fields.statusReason(),
          new JsonObject(fields.publicData().toString()),
          fields.secretFields().toArray(String[]::new),
          Buffer.buffer(fields.sealed()),
          fields.masterKeyId(),
          offset(fields.tokenExpiresAt()),
          actor
        });
  }

  private StoredCredential read(Row row) {
    ObjectNode publicData;
    try {
      publicData = (ObjectNode) json.readTree(row.getString("public_data"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("public_data of credential " + row.getUUID("id"), e);
    }
    String[] secretFields = row.getArrayOfStrings("secret_fields");
    return new StoredCredential(
        row.getUUID("id"),
        row.getUUID("workspace_id"),
        row.getString("name"),
        row.getString("type"),
        row.getString("status"),
        row.getString("status_reason"),
        publicData,
        secretFields == null ? List.of() : Arrays.asList(secretFields),
        row.getBuffer("data_sealed").getBytes(),
        row.getInteger("master_key_id"),
        instant(row.getOffsetDateTime("token_expires_at")),
        row.getLong("version"),
        row.getString("created_by"),
        row.getString("updated_by"),
        instant(row.getOffsetDateTime("created_at")),
        instant(row.getOffsetDateTime("updated_at")));
  }

  static String escapeLike(String text) {
    return text == null ? null : text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private static Instant instant(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }

  private static OffsetDateTime offset(Instant value) {
    return value == null ? null : value.atOffset(ZoneOffset.UTC);
  }
}
