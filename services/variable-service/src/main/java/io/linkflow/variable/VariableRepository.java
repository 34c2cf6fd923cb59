package io.linkflow.variable;

import io.linkflow.common.paging.PageRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Variables in PostgreSQL; every query is scoped to a workspace. */
@ApplicationScoped
public class VariableRepository {

  private static final String COLUMNS =
      "id, key, secret, value, description, created_by, created_at, updated_at";

  /** A stored secret value. */
  public record Sealed(byte[] ciphertext, int masterKeyId) {}

  public Uni<Void> insert(
      SqlClient tx,
      UUID workspaceId,
      UUID id,
      String key,
      String value,
      Sealed sealed,
      String description,
      String createdBy) {
    return tx.preparedQuery(
            "INSERT INTO variable (id, workspace_id, key, secret, value, value_sealed,"
                + " master_key_id, description, created_by)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .execute(
            Tuple.from(
                new Object[] {
                  id,
                  workspaceId,
                  key,
                  sealed != null,
                  value,
                  sealed == null ? null : io.vertx.core.buffer.Buffer.buffer(sealed.ciphertext()),
                  sealed == null ? null : sealed.masterKeyId(),
                  description,
                  createdBy
                }))
        .replaceWithVoid();
  }

  public Uni<Optional<Variable>> find(SqlClient tx, UUID workspaceId, UUID id, boolean lock) {
    return tx.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM variable WHERE workspace_id = $1 AND id = $2"
                + (lock ? " FOR UPDATE" : ""))
        .execute(Tuple.of(workspaceId, id))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(toVariable(rows.iterator().next())));
  }

  /** A page ordered by key; {@code prefix} filters keys case-insensitively. */
  public Uni<List<Variable>> page(
      SqlClient client, UUID workspaceId, String prefix, PageRequest page) {
    String afterKey = page.after().map(c -> c.sortKey()).orElse(null);
    String afterId = page.after().map(c -> c.id()).orElse(null);
    return client
        .preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM variable WHERE workspace_id = $1"
                + " AND ($2::text IS NULL OR lower(key) LIKE lower($2) || '%')"
                + " AND ($3::text IS NULL OR (key, id) > ($3, $4::uuid))"
                + " ORDER BY key, id LIMIT $5")
        .execute(Tuple.of(workspaceId, escapeLike(prefix), afterKey, afterId, page.fetchSize()))
        .map(
            rows -> {
              List<Variable> found = new ArrayList<>();
              rows.forEach(row -> found.add(toVariable(row)));
              return found;
            });
  }

  /** A variable with its stored value: plain text, or the sealed bytes of a secret. */
  public record Stored(UUID id, String key, boolean secret, String value, byte[] sealed) {}

  /** Every variable of a workspace with its stored value, by key. */
  public Uni<List<Stored>> values(SqlClient client, UUID workspaceId) {
    return client
        .preparedQuery(
            "SELECT id, key, secret, value, value_sealed FROM variable WHERE workspace_id = $1"
                + " ORDER BY key")
        .execute(Tuple.of(workspaceId))
        .map(
            rows -> {
              List<Stored> found = new ArrayList<>();
              rows.forEach(
                  row -> {
                    var sealed = row.getBuffer("value_sealed");
                    found.add(
                        new Stored(
                            row.getUUID("id"),
                            row.getString("key"),
                            row.getBoolean("secret"),
                            row.getString("value"),
                            sealed == null ? null : sealed.getBytes()));
                  });
              return found;
            });
  }

  public Uni<Void> update(
      SqlClient tx, UUID workspaceId, UUID id, String value, Sealed sealed, String description) {
    return tx.preparedQuery(
            "UPDATE variable SET value = $3, value_sealed = $4, master_key_id = $5,"
                + " description = $6, updated_at = now() WHERE workspace_id = $1 AND id = $2")
        .execute(
            Tuple.from(
                new Object[] {
                  workspaceId,
                  id,
                  value,
                  sealed == null ? null : io.vertx.core.buffer.Buffer.buffer(sealed.ciphertext()),
                  sealed == null ? null : sealed.masterKeyId(),
                  description
                }))
        .replaceWithVoid();
  }

  /** Changes only the description (a secret's sealed value stays as it is). */
  public Uni<Void> updateDescription(SqlClient tx, UUID workspaceId, UUID id, String description) {
    return tx.preparedQuery(
            "UPDATE variable SET description = $3, updated_at = now()"
                + " WHERE workspace_id = $1 AND id = $2")
        .execute(Tuple.of(workspaceId, id, description))
        .replaceWithVoid();
  }

  public Uni<Void> delete(SqlClient tx, UUID workspaceId, UUID id) {
    return tx.preparedQuery("DELETE FROM variable WHERE workspace_id = $1 AND id = $2")
        .execute(Tuple.of(workspaceId, id))
        .replaceWithVoid();
  }

  private static String escapeLike(String prefix) {
    return prefix == null
        ? null
        : prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private static Variable toVariable(Row row) {
    boolean secret = row.getBoolean("secret");
    return new Variable(
        row.getUUID("id"),
        row.getString("key"),
        secret ? null : row.getString("value"),
        secret,
        secret,
        row.getString("description"),
        row.getString("created_by"),
        instant(row.getOffsetDateTime("created_at")),
        instant(row.getOffsetDateTime("updated_at")));
  }

  private static java.time.Instant instant(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }
}
