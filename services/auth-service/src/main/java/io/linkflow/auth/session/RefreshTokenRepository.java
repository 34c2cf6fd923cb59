package io.linkflow.auth.session;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/** Refresh tokens in PostgreSQL; every method runs in the caller's transaction. */
@ApplicationScoped
public class RefreshTokenRepository {

  public Uni<Void> insert(
      SqlClient tx,
      UUID familyId,
      UUID accountId,
      UUID workspaceId,
      String secret,
      Instant expiresAt) {
    return tx.preparedQuery(
            "INSERT INTO refresh_token (id, family_id, account_id, workspace_id, token_hash,"
                + " expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .execute(
            Tuple.from(
                new Object[] {
                  UUID.randomUUID(),
                  familyId,
                  accountId,
                  workspaceId,
                  RefreshToken.hash(secret),
                  expiresAt.atOffset(ZoneOffset.UTC)
                }))
        .replaceWithVoid();
  }

  /** The token with this secret, locked for the rest of the transaction. */
  public Uni<Optional<RefreshToken>> lockBySecret(SqlClient tx, String secret) {
    return tx.preparedQuery(
            "SELECT id, family_id, account_id, workspace_id, expires_at, used_at, revoked_at"
                + " FROM refresh_token WHERE token_hash = $1 FOR UPDATE")
        .execute(Tuple.of(RefreshToken.hash(secret)))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(toToken(rows.iterator().next())));
  }

  public Uni<Void> markUsed(SqlClient tx, UUID id) {
    return tx.preparedQuery("UPDATE refresh_token SET used_at = now() WHERE id = $1")
        .execute(Tuple.of(id))
        .replaceWithVoid();
  }

  /** Revokes every token of the session; returns how many were still live. */
  public Uni<Integer> revokeFamily(SqlClient tx, UUID familyId, String reason) {
    return tx.preparedQuery(
            "UPDATE refresh_token SET revoked_at = now(), revoked_reason = $2"
                + " WHERE family_id = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(familyId, reason))
        .map(result -> result.rowCount());
  }

  private static RefreshToken toToken(Row row) {
    return new RefreshToken(
        row.getUUID("id"),
        row.getUUID("family_id"),
        row.getUUID("account_id"),
        row.getUUID("workspace_id"),
        row.getOffsetDateTime("expires_at").toInstant(),
        instant(row.getOffsetDateTime("used_at")),
        instant(row.getOffsetDateTime("revoked_at")));
  }

  private static Instant instant(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }
}
