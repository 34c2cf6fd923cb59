package io.linkflow.user.workspace;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/**
 * A workspace (tenant) as one of its members sees it.
 *
 * @param id the workspace id (the {@code wid} of tokens for it)
 * @param name its display name
 * @param personal whether it is its owner's personal workspace from sign-up
 * @param createdAt when it was created
 * @param role the calling member's role in it
 */
public record Workspace(UUID id, String name, boolean personal, Instant createdAt, String role) {

  static Workspace from(Row row) {
    return new Workspace(
        row.getUUID("id"),
        row.getString("name"),
        row.getBoolean("personal"),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getString("role"));
  }
}
