package io.linkflow.user.membership;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/**
 * A member of a workspace, as listed to the other members.
 *
 * @param userId the member's account id
 * @param email their e-mail address
 * @param displayName their display name, null until they set one
 * @param role their role in the workspace
 * @param joinedAt when they joined it
 */
public record Member(UUID userId, String email, String displayName, String role, Instant joinedAt) {

  static Member from(Row row) {
    return new Member(
        row.getUUID("user_id"),
        row.getString("email"),
        row.getString("display_name"),
        row.getString("role"),
        row.getOffsetDateTime("created_at").toInstant());
  }
}
