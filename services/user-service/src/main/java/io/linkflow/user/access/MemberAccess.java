package io.linkflow.user.access;

import io.linkflow.common.error.ProblemException;
import io.linkflow.security.Roles;
import io.linkflow.user.membership.MembershipRepository;
import io.linkflow.user.workspace.WorkspaceRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Checks the caller's membership as this service stores it, which is fresher than the role in a
 * token: someone removed from the workspace gets 404 (the workspace no longer exists for them),
 * someone whose stored role is too low gets 403.
 */
@ApplicationScoped
public class MemberAccess {

  private final WorkspaceRepository workspaces;
  private final MembershipRepository memberships;

  public MemberAccess(WorkspaceRepository workspaces, MembershipRepository memberships) {
    this.workspaces = workspaces;
    this.memberships = memberships;
  }

  /**
   * For changes: locks the caller's workspace for the rest of the transaction, then reads the
   * caller's role (after the lock, so a concurrent demotion or removal is seen) and requires at
   * least {@code required}. Completes with the caller's stored role.
   */
  public Uni<String> lock(SqlClient tx, Caller caller, String required) {
    return workspaces
        .lock(tx, caller.workspaceId())
        .flatMap(
            exists -> {
              if (!exists) {
                throw notAMember();
              }
              return require(tx, caller, required);
            });
  }

  /** For reads: the caller's stored role, at least {@code required}. */
  public Uni<String> require(SqlClient client, Caller caller, String required) {
    return memberships
        .role(client, caller.workspaceId(), caller.userId())
        .map(
            role -> {
              String held = role.orElseThrow(MemberAccess::notAMember);
              if (!Roles.atLeast(held, required)) {
                throw forbidden(required);
              }
              return held;
            });
  }

  static ProblemException notAMember() {
    return new ProblemException(404, "This workspace does not exist or you are not a member.");
  }

  /** 403 for a caller below {@code role}. */
  public static ProblemException forbidden(String role) {
    return new ProblemException(
        403, "This operation needs the " + role + " role (or higher) in this workspace.");
  }
}
