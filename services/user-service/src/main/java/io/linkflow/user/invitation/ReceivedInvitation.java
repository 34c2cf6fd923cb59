package io.linkflow.user.invitation;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/**
 * A pending invitation addressed to the calling person (without its secret, which they received
 * from the inviter).
 *
 * @param id the invitation id
 * @param workspaceId the workspace it is for
 * @param workspaceName that workspace's name
 * @param role the role they would get
 * @param createdAt when it was made
 * @param expiresAt when it stops being usable
 */
public record ReceivedInvitation(
    UUID id,
    UUID workspaceId,
    String workspaceName,
    String role,
    Instant createdAt,
    Instant expiresAt) {

  static ReceivedInvitation from(Row row) {
    return new ReceivedInvitation(
        row.getUUID("id"),
        row.getUUID("workspace_id"),
        row.getString("workspace_name"),
        row.getString("role"),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("expires_at").toInstant());
  }
}
