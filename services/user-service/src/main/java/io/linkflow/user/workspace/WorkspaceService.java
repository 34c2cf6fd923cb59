package io.linkflow.user.workspace;

import io.linkflow.common.error.ProblemException;
import io.linkflow.security.Roles;
import io.linkflow.user.access.Caller;
import io.linkflow.user.access.MemberAccess;
import io.linkflow.user.membership.MembershipEvents;
import io.linkflow.user.membership.MembershipRepository;
import io.linkflow.user.profile.ProfileService;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Creating workspaces, the caller's current workspace, and the workspaces a person belongs to. */
@ApplicationScoped
public class WorkspaceService {

  private final Pool pool;
  private final MemberAccess access;
  private final WorkspaceRepository workspaces;
  private final MembershipRepository memberships;
  private final MembershipEvents events;
  private final ProfileService profiles;

  public WorkspaceService(
      Pool pool,
      MemberAccess access,
      WorkspaceRepository workspaces,
      MembershipRepository memberships,
      MembershipEvents events,
      ProfileService profiles) {
    this.pool = pool;
    this.access = access;
    this.workspaces = workspaces;
    this.memberships = memberships;
    this.events = events;
    this.profiles = profiles;
  }

  /**
   * Creates a workspace owned by {@code userId}, announcing it (workspace_created) and the owner
   * membership (member_added, reason workspace_created) in the same transaction.
   */
  public Uni<Workspace> create(UUID userId, String name) {
    UUID id = UUID.randomUUID();
    return pool.withTransaction(
        tx ->
            profiles
                .existing(tx, userId)
                .call(() -> workspaces.insert(tx, id, name, false))
                .call(() -> memberships.insert(tx, id, userId, Roles.OWNER))
                .call(() -> events.workspaceCreated(tx, id, name, userId, false))
                .call(
                    () ->
                        events.added(
                            tx, id, userId, Roles.OWNER, MembershipEvents.WORKSPACE_CREATED))
                .flatMap(ignored -> asMember(tx, id, userId)));
  }

  public Uni<Workspace> current(Caller caller) {
    return access
        .require(pool, caller, Roles.VIEWER)
        .flatMap(ignored -> asMember(pool, caller.workspaceId(), caller.userId()));
  }

  public Uni<Workspace> rename(Caller caller, String name) {
    return pool.withTransaction(
        tx ->
            access
                .lock(tx, caller, Roles.ADMIN)
                .call(() -> workspaces.rename(tx, caller.workspaceId(), name))
                .flatMap(ignored -> asMember(tx, caller.workspaceId(), caller.userId())));
  }

  /** Every workspace the person belongs to, with their role in each. */
  public Uni<List<Workspace>> ofMember(UUID userId) {
    return workspaces.ofMember(pool, userId);
  }

  private Uni<Workspace> asMember(SqlClient client, UUID workspaceId, UUID userId) {
    return workspaces
        .find(client, workspaceId, userId)
        .map(
            found ->
                found.orElseThrow(
                    () ->
                        new ProblemException(
                            404, "This workspace does not exist or you are not a member.")));
  }
}
