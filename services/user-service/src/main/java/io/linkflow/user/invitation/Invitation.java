package io.linkflow.user.invitation;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/**
 * A pending invitation as the workspace's admins see it (never with its secret).
 *
 * @param id the invitation id
 * @param email the address it was sent to
 * @param role the role the invitee gets on accepting
 * @param invitedBy the account id of the member who invited
 * @param createdAt when it was made
 * @param expiresAt when it stops being usable
 */
public record Invitation(
    UUID id, String email, String role, UUID invitedBy, Instant createdAt, Instant expiresAt) {

  static Invitation from(Row row) {
    return new Invitation(
        row.getUUID("id"),
        row.getString("email"),
        row.getString("role"),
        row.getUUID("invited_by"),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("expires_at").toInstant());
  }
}
