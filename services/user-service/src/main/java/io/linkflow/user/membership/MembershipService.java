package io.linkflow.user.membership;

import io.linkflow.common.error.ProblemException;
import io.linkflow.common.paging.Cursor;
import io.linkflow.common.paging.Page;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.security.Roles;
import io.linkflow.user.access.Caller;
import io.linkflow.user.access.MemberAccess;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Members of the caller's workspace: listing, role changes, removal and leaving. Each change runs
 * in one transaction that first locks the workspace row, so the rule that a workspace always keeps
 * an owner holds even when owners leave or demote each other at the same moment; each change emits
 * its user.events event in that transaction.
 */
@ApplicationScoped
public class MembershipService {

  private final Pool pool;
  private final MemberAccess access;
  private final MembershipRepository memberships;
  private final MembershipEvents events;

  public MembershipService(
      Pool pool, MemberAccess access, MembershipRepository memberships, MembershipEvents events) {
    this.pool = pool;
    this.access = access;
    this.memberships = memberships;
    this.events = events;
  }

  public Uni<Page<Member>> list(Caller caller, PageRequest request) {
    return access
        .require(pool, caller, Roles.VIEWER)
        .flatMap(ignored -> memberships.page(pool, caller.workspaceId(), request))
        .map(
            rows ->
                Page.of(
                    rows,
                    request,
                    m -> new Cursor(m.joinedAt().toString(), m.userId().toString())));
  }

  /**
   * Gives {@code userId} another role. Admins manage admins, editors and viewers; only an owner may
   * make someone an owner or change an owner's role; the last owner cannot be demoted (409).
   */
  public Uni<Member> changeRole(Caller caller, UUID userId, String newRole) {
    UUID workspace = caller.workspaceId();
    return pool.withTransaction(
        tx ->
            access
                .lock(tx, caller, Roles.ADMIN)
                .flatMap(
                    callerRole ->
                        targetRole(tx, workspace, userId)
                            .flatMap(
                                current -> {
                                  boolean touchesOwner =
                                      Roles.OWNER.equals(newRole) || Roles.OWNER.equals(current);
                                  if (touchesOwner && !Roles.OWNER.equals(callerRole)) {
                                    throw new ProblemException(
                                        403,
                                        "Only an owner can grant or take away the owner role.");
                                  }
                                  if (current.equals(newRole)) {
                                    return Uni.createFrom().voidItem();
                                  }
                                  return keepAnOwner(tx, workspace, current)
                                      .call(
                                          () ->
                                              memberships.updateRole(
                                                  tx, workspace, userId, newRole))
                                      .call(
                                          () ->
                                              events.roleChanged(
                                                  tx, caller.userId(), workspace, userId, newRole));
                                }))
                .flatMap(ignored -> memberships.find(tx, workspace, userId))
                .map(found -> found.orElseThrow(MembershipService::noSuchMember)));
  }

  /**
   * Removes {@code userId} from the workspace (and its teams). Removing an owner needs an owner;
   * the last owner cannot be removed (409). Removing oneself counts as leaving.
   */
  public Uni<Void> remove(Caller caller, UUID userId) {
    UUID workspace = caller.workspaceId();
    return pool.withTransaction(
        tx ->
            access
                .lock(tx, caller, Roles.ADMIN)
                .flatMap(
                    callerRole ->
                        targetRole(tx, workspace, userId)
                            .flatMap(
                                current -> {
                                  if (Roles.OWNER.equals(current)
                                      && !Roles.OWNER.equals(callerRole)) {
                                    throw new ProblemException(
                                        403, "Only an owner can remove an owner.");
                                  }
                                  String reason =
                                      userId.equals(caller.userId())
                                          ? MembershipEvents.LEFT
                                          : MembershipEvents.REMOVED;
                                  return delete(
                                      tx, caller.userId(), workspace, userId, current, reason);
                                })));
  }

  /** The caller leaves their workspace (and its teams); the last owner cannot (409). */
  public Uni<Void> leave(Caller caller) {
    UUID workspace = caller.workspaceId();
    return pool.withTransaction(
        tx ->
            access
                .lock(tx, caller, Roles.VIEWER)
                .flatMap(
                    role ->
                        delete(
                            tx,
                            caller.userId(),
                            workspace,
                            caller.userId(),
                            role,
                            MembershipEvents.LEFT)));
  }

  private Uni<Void> delete(
      SqlClient tx, UUID actor, UUID workspace, UUID userId, String formerRole, String reason) {
    return keepAnOwner(tx, workspace, formerRole)
        .call(() -> memberships.delete(tx, workspace, userId))
        .call(() -> events.removed(tx, actor, workspace, userId, formerRole, reason));
  }

  private Uni<String> targetRole(SqlClient tx, UUID workspace, UUID userId) {
    return memberships
        .role(tx, workspace, userId)
        .map(role -> role.orElseThrow(MembershipService::noSuchMember));
  }

  /**
   * Fails with 409 when a member holding {@code formerRole} is about to stop being an owner and is
   * the only one; the caller holds the workspace lock, so the count cannot change underneath.
   */
  private Uni<Void> keepAnOwner(SqlClient tx, UUID workspace, String formerRole) {
    if (!Roles.OWNER.equals(formerRole)) {
      return Uni.createFrom().voidItem();
    }
    return memberships
        .countOwners(tx, workspace)
        .invoke(
            owners -> {
              if (owners <= 1) {
                throw new ProblemException(
                    409,
                    "A workspace needs an owner: make another member an owner before the last"
                        + " owner leaves, is removed or is demoted.");
              }
            })
        .replaceWithVoid();
  }

  static ProblemException noSuchMember() {
    return new ProblemException(404, "No member with this id in this workspace.");
  }
}
