package io.linkflow.user.team;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/**
 * A member of a team (always also a member of the team's workspace).
 *
 * @param userId their account id
 * @param email their e-mail address
 * @param displayName their display name, null until set
 * @param addedAt when they were added to the team
 */
public record TeamMember(UUID userId, String email, String displayName, Instant addedAt) {

  static TeamMember from(Row row) {
    return new TeamMember(
        row.getUUID("user_id"),
        row.getString("email"),
        row.getString("display_name"),
        row.getOffsetDateTime("added_at").toInstant());
  }
}
