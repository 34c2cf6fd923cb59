package io.linkflow.user.team;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/**
 * A team as listed: without its members, with their number.
 *
 * @param id the team id
 * @param name its name, unique in the workspace whatever the case
 * @param description what it is for, null if not given
 * @param memberCount how many members it has
 * @param createdAt when it was created
 * @param updatedAt when its name or description last changed
 */
public record TeamSummary(
    UUID id,
    String name,
    String description,
    long memberCount,
    Instant createdAt,
    Instant updatedAt) {

  static TeamSummary from(Row row) {
    return new TeamSummary(
        row.getUUID("id"),
        row.getString("name"),
        row.getString("description"),
        row.getLong("member_count"),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("updated_at").toInstant());
  }
}
