package io.linkflow.user.team;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A team with its members.
 *
 * @param id the team id
 * @param name its name, unique in the workspace whatever the case
 * @param description what it is for, null if not given
 * @param createdAt when it was created
 * @param updatedAt when its name or description last changed
 * @param members its members, in the order they were added
 */
public record Team(
    UUID id,
    String name,
    String description,
    Instant createdAt,
    Instant updatedAt,
    List<TeamMember> members) {

  static Team of(TeamSummary team, List<TeamMember> members) {
    return new Team(
        team.id(),
        team.name(),
        team.description(),
        team.createdAt(),
        team.updatedAt(),
        List.copyOf(members));
  }
}
