package io.linkflow.user.membership;

import io.linkflow.events.EventType;
import io.linkflow.events.EventTypes;
import io.linkflow.events.outbox.Outbox;
import io.linkflow.events.payload.AuditRecordedV1;
import io.linkflow.events.payload.MembershipChangedV1;
import io.linkflow.events.payload.WorkspaceCreatedV1;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/**
 * Announces workspaces and membership changes on user.events through the outbox, in the transaction
 * that makes the change, and records each on audit.log with who did it. The record key is the
 * workspace id, so the membership events of one workspace stay in order; auth-service keeps its
 * copy of memberships from them.
 */
@ApplicationScoped
public class MembershipEvents {

  /** Why a membership changed ({@link MembershipChangedV1#reason()}). */
  public static final String SIGNUP = "signup";

  public static final String WORKSPACE_CREATED = "workspace_created";
  public static final String INVITATION_ACCEPTED = "invitation_accepted";
  public static final String ROLE_CHANGED = "role_changed";
  public static final String LEFT = "left";
  public static final String REMOVED = "removed";

  private final Outbox outbox;

  public MembershipEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  public Uni<Void> workspaceCreated(
      SqlClient tx, UUID workspaceId, String name, UUID ownerId, boolean personal) {
    return outbox
        .append(
            tx,
            EventTypes.WORKSPACE_CREATED_V1,
            workspaceId.toString(),
            workspaceId.toString(),
            new WorkspaceCreatedV1(workspaceId, name, ownerId, personal))
        .call(
            () ->
                audit(
                    tx,
                    "workspace.created",
                    ownerId,
                    "workspace",
                    workspaceId,
                    Map.of("personal", String.valueOf(personal))))
        .replaceWithVoid();
  }

  /** {@code userId} joined (they are the actor: sign-up, creation, accepting an invitation). */
  public Uni<Void> added(SqlClient tx, UUID workspaceId, UUID userId, String role, String reason) {
    return append(tx, EventTypes.MEMBER_ADDED_V1, userId, workspaceId, userId, role, reason);
  }

  /** {@code actor} gave {@code userId} the role {@code newRole}. */
  public Uni<Void> roleChanged(
      SqlClient tx, UUID actor, UUID workspaceId, UUID userId, String newRole) {
    return append(
        tx, EventTypes.MEMBER_ROLE_CHANGED_V1, actor, workspaceId, userId, newRole, ROLE_CHANGED);
  }

  /**
   * {@code actor} removed {@code userId}, or they left ({@code actor == userId}); {@code
   * formerRole} is the role held until now; {@code reason} is left or removed.
   */
  public Uni<Void> removed(
      SqlClient tx, UUID actor, UUID workspaceId, UUID userId, String formerRole, String reason) {
    return append(tx, EventTypes.MEMBER_REMOVED_V1, actor, workspaceId, userId, formerRole, reason);
  }

  private Uni<Void> append(
      SqlClient tx,
      EventType<MembershipChangedV1> type,
      UUID actor,
      UUID workspaceId,
      UUID userId,
      String role,
      String reason) {
    return outbox
        .append(
            tx,
            type,
            workspaceId.toString(),
            workspaceId.toString(),
            new MembershipChangedV1(workspaceId, userId, role, reason))
        .call(
            () ->
                audit(
                    tx,
                    "member." + type.name().substring("user.member_".length()),
                    actor,
                    "membership",
                    userId,
                    Map.of("role", role, "reason", reason)))
        .replaceWithVoid();
  }

  private Uni<Void> audit(
      SqlClient tx,
      String action,
      UUID actor,
      String resourceType,
      UUID resourceId,
      Map<String, String> details) {
    return outbox
        .append(
            tx,
            EventTypes.AUDIT_RECORDED_V1,
            actor.toString(),
            null,
            new AuditRecordedV1(
                action,
                actor.toString(),
                "user",
                resourceType,
                resourceId.toString(),
                "success",
                details))
        .replaceWithVoid();
  }
}
