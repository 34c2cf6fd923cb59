package io.linkflow.auth.session;

import io.linkflow.security.crypto.Secrets;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Refresh tokens in PostgreSQL; every method runs in the caller's transaction. */
@ApplicationScoped
public class RefreshTokenRepository {

  private static final String COLUMNS =
      "id, family_id, account_id, workspace_id, expires_at, used_at, revoked_at, started_at,"
          + " client_ip, user_agent";

  /** A live session, as its owner sees it in a list. */
  public record SessionRow(
      UUID id,
      UUID workspaceId,
      Instant startedAt,
      Instant lastRefreshedAt,
      Instant expiresAt,
      ClientInfo client) {}

  /** Inserts a token; {@code startedAt} null for the first token of a new session (now). */
  public Uni<Void> insert(
      SqlClient tx,
      UUID familyId,
      UUID accountId,
      UUID workspaceId,
      String secret,
      Instant expiresAt,
      Instant startedAt,
      ClientInfo client) {
    return tx.preparedQuery(
            "INSERT INTO refresh_token (id, family_id, account_id, workspace_id, token_hash,"
                + " expires_at, started_at, client_ip, user_agent)"
                + " VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, now()), $8, $9)")
        .execute(
            Tuple.from(
                new Object[] {
                  UUID.randomUUID(),
                  familyId,
                  accountId,
                  workspaceId,
                  Secrets.sha256Hex(secret),
                  utc(expiresAt),
                  startedAt == null ? null : utc(startedAt),
                  client.ip(),
                  client.userAgent()
                }))
        .replaceWithVoid();
  }

  /** The token with this secret, locked for the rest of the transaction. */
  public Uni<Optional<RefreshToken>> lockBySecret(SqlClient tx, String secret) {
    return tx.preparedQuery(
            "SELECT " + COLUMNS + " FROM refresh_token WHERE token_hash = $1 FOR UPDATE")
        .execute(Tuple.of(Secrets.sha256Hex(secret)))
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

  /**
   * The account's live sessions (not revoked, with an unused, unexpired token), newest first;
   * {@code workspaceId} null for every workspace.
   */
  public Uni<List<SessionRow>> liveSessions(SqlClient tx, UUID accountId, UUID workspaceId) {
    return tx.preparedQuery(
            "SELECT family_id, workspace_id, started_at, issued_at, expires_at, client_ip,"
                + " user_agent FROM refresh_token WHERE account_id = $1"
                + " AND ($2::uuid IS NULL OR workspace_id = $2) AND revoked_at IS NULL"
                + " AND used_at IS NULL AND expires_at > now() ORDER BY issued_at DESC")
        .execute(Tuple.of(accountId, workspaceId))
        .map(
            rows -> {
              List<SessionRow> sessions = new java.util.ArrayList<>();
              for (Row row : rows) {
                sessions.add(
                    new SessionRow(
                        row.getUUID("family_id"),
                        row.getUUID("workspace_id"),
                        instant(row.getOffsetDateTime("started_at")),
                        instant(row.getOffsetDateTime("issued_at")),
                        instant(row.getOffsetDateTime("expires_at")),
                        new ClientInfo(row.getString("client_ip"), row.getString("user_agent"))));
              }
              return sessions;
            });
  }

  private static RefreshToken toToken(Row row) {
    return new RefreshToken(
        row.getUUID("id"),
        row.getUUID("family_id"),
        row.getUUID("account_id"),
        row.getUUID("workspace_id"),
        row.getOffsetDateTime("expires_at").toInstant(),
        instant(row.getOffsetDateTime("used_at")),
        instant(row.getOffsetDateTime("revoked_at")),
        instant(row.getOffsetDateTime("started_at")),
        new ClientInfo(row.getString("client_ip"), row.getString("user_agent")));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }
}
