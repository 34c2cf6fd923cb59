package io.linkflow.user.profile;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/**
 * A person's profile.
 *
 * @param id the account id (the {@code sub} of their tokens)
 * @param email their e-mail address
 * @param emailVerified whether they proved they own it
 * @param displayName the name shown to others, null until set
 * @param createdAt when they signed up
 */
public record UserProfile(
    UUID id, String email, boolean emailVerified, String displayName, Instant createdAt) {

  static UserProfile from(Row row) {
    return new UserProfile(
        row.getUUID("id"),
        row.getString("email"),
        row.getBoolean("email_verified"),
        row.getString("display_name"),
        row.getOffsetDateTime("created_at").toInstant());
  }
}
