package io.linkflow.user.team;

import io.linkflow.common.db.PgErrors;
import io.linkflow.common.error.ProblemException;
import io.linkflow.common.paging.Cursor;
import io.linkflow.common.paging.Page;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.security.Roles;
import io.linkflow.user.access.Caller;
import io.linkflow.user.access.MemberAccess;
import io.linkflow.user.membership.MembershipRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Teams of the caller's workspace: any member reads them, admins change them. Team members must be
 * workspace members; leaving or being removed from the workspace removes them from its teams
 * (enforced by the database).
 */
@ApplicationScoped
public class TeamService {

  private final Pool pool;
  private final MemberAccess access;
  private final TeamRepository teams;
  private final MembershipRepository memberships;

  public TeamService(
      Pool pool, MemberAccess access, TeamRepository teams, MembershipRepository memberships) {
    this.pool = pool;
    this.access = access;
    this.teams = teams;
    this.memberships = memberships;
  }

  public Uni<Team> create(Caller caller, String name, String description) {
    UUID id = UUID.randomUUID();
    return pool.withTransaction(
            tx ->
                access
                    .lock(tx, caller, Roles.ADMIN)
                    .call(() -> teams.insert(tx, id, caller.workspaceId(), name, description))
                    .flatMap(ignored -> team(tx, caller.workspaceId(), id)))
        .onFailure(e -> PgErrors.uniqueViolation(e, TeamRepository.UNIQUE_NAME))
        .transform(TeamService::nameTaken);
  }

  public Uni<Page<TeamSummary>> list(Caller caller, PageRequest request) {
    return access
        .require(pool, caller, Roles.VIEWER)
        .flatMap(ignored -> teams.page(pool, caller.workspaceId(), request))
        .map(
            rows -> {
              Page<TeamRepository.Listed> page =
                  Page.of(
                      rows,
                      request,
                      listed -> new Cursor(listed.sortKey(), listed.team().id().toString()));
              return new Page<>(
                  page.items().stream().map(TeamRepository.Listed::team).toList(),
                  page.nextCursor());
            });
  }

  public Uni<Team> get(Caller caller, UUID id) {
    return access
        .require(pool, caller, Roles.VIEWER)
        .flatMap(ignored -> team(pool, caller.workspaceId(), id));
  }

  /**
   * Renames the team and/or changes its description ({@code setDescription}; a null description
   * clears it).
   */
  public Uni<Team> update(
      Caller caller, UUID id, String name, boolean setDescription, String description) {
    return pool.withTransaction(
            tx ->
                access
                    .lock(tx, caller, Roles.ADMIN)
                    .flatMap(
                        ignored ->
                            teams.update(
                                tx, caller.workspaceId(), id, name, setDescription, description))
                    .invoke(
                        updated -> {
                          if (!updated) {
                            throw noSuchTeam();
                          }
                        })
                    .flatMap(ignored -> team(tx, caller.workspaceId(), id)))
        .onFailure(e -> PgErrors.uniqueViolation(e, TeamRepository.UNIQUE_NAME))
        .transform(TeamService::nameTaken);
  }

  public Uni<Void> delete(Caller caller, UUID id) {
    return pool.withTransaction(
        tx ->
            access
                .lock(tx, caller, Roles.ADMIN)
                .flatMap(ignored -> teams.delete(tx, caller.workspaceId(), id))
                .invoke(
                    deleted -> {
                      if (!deleted) {
                        throw noSuchTeam();
                      }
                    })
                .replaceWithVoid());
  }

  /** Adds a member of the workspace to the team; 404 for an unknown team or non-member. */
  public Uni<Void> addMember(Caller caller, UUID teamId, UUID userId) {
    UUID workspace = caller.workspaceId();
    return pool.withTransaction(
        tx ->
            access
                .lock(tx, caller, Roles.ADMIN)
                .call(() -> requireTeam(tx, workspace, teamId))
                .call(
                    () ->
                        memberships
                            .role(tx, workspace, userId)
                            .invoke(
                                role -> {
                                  if (role.isEmpty()) {
                                    throw new ProblemException(
                                        404, "No member with this id in this workspace.");
                                  }
                                }))
                .call(() -> teams.addMember(tx, workspace, teamId, userId))
                .replaceWithVoid());
  }

  public Uni<Void> removeMember(Caller caller, UUID teamId, UUID userId) {
    UUID workspace = caller.workspaceId();
    return pool.withTransaction(
        tx ->
            access
                .lock(tx, caller, Roles.ADMIN)
                .call(() -> requireTeam(tx, workspace, teamId))
                .flatMap(ignored -> teams.removeMember(tx, workspace, teamId, userId))
                .invoke(
                    removed -> {
                      if (!removed) {
                        throw new ProblemException(404, "This person is not in this team.");
                      }
                    })
                .replaceWithVoid());
  }

  private Uni<Void> requireTeam(SqlClient tx, UUID workspace, UUID teamId) {
    return teams
        .find(tx, workspace, teamId)
        .invoke(found -> found.orElseThrow(TeamService::noSuchTeam))
        .replaceWithVoid();
  }

  private Uni<Team> team(SqlClient client, UUID workspace, UUID id) {
    return teams
        .find(client, workspace, id)
        .map(found -> found.orElseThrow(TeamService::noSuchTeam))
        .flatMap(
            team -> teams.members(client, workspace, id).map(members -> Team.of(team, members)));
  }

  private static ProblemException noSuchTeam() {
    return new ProblemException(404, "No team with this id in this workspace.");
  }

  private static Throwable nameTaken(Throwable e) {
    return new ProblemException(409, "A team with this name already exists in this workspace.");
  }
}
