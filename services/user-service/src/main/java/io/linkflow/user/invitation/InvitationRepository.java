package io.linkflow.user.invitation;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Invitations in PostgreSQL. Addresses are compared with PostgreSQL's {@code lower()} on both
 * sides, so matching does not depend on how Java and the database case-fold.
 */
@ApplicationScoped
public class InvitationRepository {

  /** The unique index allowing one pending invitation per address and workspace. */
  public static final String ONE_PENDING = "invitation_one_pending";

  private static final String LIVE = "status = 'pending' AND expires_at > now()";

  /**
   * An invitation found by its secret.
   *
   * @param id the invitation id
   * @param workspaceId its workspace
   * @param role the role it grants
   * @param addressedToCaller whether its address is the caller's e-mail (case-insensitive)
   */
  public record ByToken(UUID id, UUID workspaceId, String role, boolean addressedToCaller) {}

  /** Whether someone with this e-mail address already belongs to the workspace. */
  public Uni<Boolean> isMember(SqlClient tx, UUID workspaceId, String email) {
    return tx.preparedQuery(
            "SELECT 1 FROM membership m JOIN app_user u ON u.id = m.user_id"
                + " WHERE m.workspace_id = $1 AND lower(u.email) = lower($2::text)")
        .execute(Tuple.of(workspaceId, email))
        .map(rows -> rows.size() > 0);
  }

  /** Marks this address's pending invitations that have run out as expired. */
  public Uni<Void> expireStale(SqlClient tx, UUID workspaceId, String email) {
    return tx.preparedQuery(
            "UPDATE invitation SET status = 'expired' WHERE workspace_id = $1"
                + " AND email_normalized = lower($2::text) AND status = 'pending'"
                + " AND expires_at <= now()")
        .execute(Tuple.of(workspaceId, email))
        .replaceWithVoid();
  }

  /** Inserts a pending invitation; a unique violation on {@link #ONE_PENDING} means a duplicate. */
  public Uni<Void> insert(
      SqlClient tx,
      UUID id,
      UUID workspaceId,
      String email,
      String role,
      String tokenHash,
      UUID invitedBy,
      Instant expiresAt) {
    return tx.preparedQuery(
            "INSERT INTO invitation (id, workspace_id, email, email_normalized, role, token_hash,"
                + " invited_by, expires_at) VALUES ($1, $2, $3, lower($3::text), $4, $5, $6, $7)")
        .execute(
            Tuple.from(
                new Object[] {
                  id,
                  workspaceId,
                  email,
                  role,
                  tokenHash,
                  invitedBy,
                  expiresAt.atOffset(ZoneOffset.UTC)
                }))
        .replaceWithVoid();
  }

  /** The workspace's invitations that can still be accepted, newest first. */
  public Uni<List<Invitation>> pending(SqlClient client, UUID workspaceId) {
    return client
        .preparedQuery(
            "SELECT id, email, role, invited_by, created_at, expires_at FROM invitation"
                + " WHERE workspace_id = $1 AND "
                + LIVE
                + " ORDER BY created_at DESC, id")
        .execute(Tuple.of(workspaceId))
        .map(
            rows -> {
              List<Invitation> all = new ArrayList<>(rows.size());
              rows.forEach(row -> all.add(Invitation.from(row)));
              return all;
            });
  }

  /** Revokes a pending invitation of the workspace; false if there is none with this id. */
  public Uni<Boolean> revoke(SqlClient tx, UUID workspaceId, UUID id) {
    return tx.preparedQuery(
            "UPDATE invitation SET status = 'revoked', responded_at = now()"
                + " WHERE id = $1 AND workspace_id = $2 AND "
                + LIVE)
        .execute(Tuple.of(id, workspaceId))
        .map(result -> result.rowCount() == 1);
  }

  /** The invitations that can still be accepted, addressed to {@code userId}'s e-mail. */
  public Uni<List<ReceivedInvitation>> pendingFor(SqlClient client, UUID userId) {
    return client
        .preparedQuery(
            "SELECT i.id, i.workspace_id, w.name AS workspace_name, i.role, i.created_at,"
                + " i.expires_at FROM invitation i JOIN workspace w ON w.id = i.workspace_id"
                + " WHERE i.email_normalized = (SELECT lower(email) FROM app_user WHERE id = $1)"
                + " AND i.status = 'pending' AND i.expires_at > now()"
                + " ORDER BY i.created_at DESC, i.id")
        .execute(Tuple.of(userId))
        .map(
            rows -> {
              List<ReceivedInvitation> all = new ArrayList<>(rows.size());
              rows.forEach(row -> all.add(ReceivedInvitation.from(row)));
              return all;
            });
  }

  /** The invitation with this secret's hash, whatever its state. */
  public Uni<Optional<ByToken>> byToken(SqlClient tx, String tokenHash, UUID callerId) {
    return tx.preparedQuery(
            "SELECT i.id, i.workspace_id, i.role, coalesce(i.email_normalized ="
                + " (SELECT lower(email) FROM app_user WHERE id = $2), false) AS addressed"
                + " FROM invitation i WHERE i.token_hash = $1")
        .execute(Tuple.of(tokenHash, callerId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(
                  new ByToken(
                      row.getUUID("id"),
                      row.getUUID("workspace_id"),
                      row.getString("role"),
                      row.getBoolean("addressed")));
            });
  }

  /**
   * Locks the invitation and tells whether it can still be used (pending and not expired); call
   * with its workspace locked, so a concurrent accept, decline or revoke has committed.
   */
  public Uni<Boolean> lockIfLive(SqlClient tx, UUID id) {
    return tx.preparedQuery(
            "SELECT status = 'pending' AND expires_at > now() AS live FROM invitation"
                + " WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 1 && rows.iterator().next().getBoolean("live"));
  }

  /** Records the invitee's answer: {@code accepted} or {@code declined}. */
  public Uni<Void> respond(SqlClient tx, UUID id, String status) {
    return tx.preparedQuery("UPDATE invitation SET status = $2, responded_at = now() WHERE id = $1")
        .execute(Tuple.of(id, status))
        .replaceWithVoid();
  }
}
