package io.linkflow.auth.apikey;

import io.smallrye.mutiny.Uni;
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

/** API keys in PostgreSQL; every query is scoped to a workspace except the lookup by key hash. */
@ApplicationScoped
public class ApiKeyRepository {

  private static final String COLUMNS =
      "id, workspace_id, created_by, name, prefix, role, scopes, expires_at, created_at,"
          + " last_used_at, revoked_at";

  public Uni<Void> insert(SqlClient tx, ApiKey key, String keyHash) {
    return tx.preparedQuery(
            "INSERT INTO api_key (id, workspace_id, created_by, name, prefix, key_hash, role,"
                + " scopes, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .execute(
            Tuple.from(
                new Object[] {
                  key.id(),
                  key.workspaceId(),
                  key.createdBy(),
                  key.name(),
                  key.prefix(),
                  keyHash,
                  key.role(),
                  key.scopes().toArray(String[]::new),
                  utc(key.expiresAt()),
                  utc(key.createdAt())
                }))
        .replaceWithVoid();
  }

  /** Live keys of the workspace, newest first; {@code createdBy} null for everyone's. */
  public Uni<List<ApiKey>> list(SqlClient tx, UUID workspaceId, UUID createdBy) {
    return tx.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM api_key WHERE workspace_id = $1 AND ($2::uuid IS NULL OR created_by = $2)"
                + " AND revoked_at IS NULL ORDER BY created_at DESC")
        .execute(Tuple.of(workspaceId, createdBy))
        .map(ApiKeyRepository::toKeys);
  }

  /** The live key with this id in the workspace, locked for the transaction. */
  public Uni<Optional<ApiKey>> lock(SqlClient tx, UUID workspaceId, UUID id) {
    return tx.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM api_key WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL"
                + " FOR UPDATE")
        .execute(Tuple.of(workspaceId, id))
        .map(rows -> toKeys(rows).stream().findFirst());
  }

  public Uni<Optional<ApiKey>> findByHash(SqlClient tx, String keyHash) {
    return tx.preparedQuery("SELECT " + COLUMNS + " FROM api_key WHERE key_hash = $1")
        .execute(Tuple.of(keyHash))
        .map(rows -> toKeys(rows).stream().findFirst());
  }

  public Uni<Void> revoke(SqlClient tx, UUID id, String reason) {
    return tx.preparedQuery(
            "UPDATE api_key SET revoked_at = now(), revoked_reason = $2 WHERE id = $1")
        .execute(Tuple.of(id, reason))
        .replaceWithVoid();
  }

  public Uni<Void> touch(SqlClient tx, UUID id) {
    return tx.preparedQuery("UPDATE api_key SET last_used_at = now() WHERE id = $1")
        .execute(Tuple.of(id))
        .replaceWithVoid();
  }

  private static List<ApiKey> toKeys(Iterable<Row> rows) {
    List<ApiKey> keys = new ArrayList<>();
    for (Row row : rows) {
      keys.add(
          new ApiKey(
              row.getUUID("id"),
              row.getUUID("workspace_id"),
              row.getUUID("created_by"),
              row.getString("name"),
              row.getString("prefix"),
              row.getString("role"),
              Arrays.asList(row.getArrayOfStrings("scopes")),
              instant(row.getOffsetDateTime("expires_at")),
              instant(row.getOffsetDateTime("created_at")),
              instant(row.getOffsetDateTime("last_used_at")),
              instant(row.getOffsetDateTime("revoked_at"))));
    }
    return keys;
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }
}
