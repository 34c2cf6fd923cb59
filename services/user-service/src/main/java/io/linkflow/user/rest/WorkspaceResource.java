package io.linkflow.user.rest;

import io.linkflow.common.paging.Page;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.security.Roles;
import io.linkflow.security.Scopes;
import io.linkflow.user.access.Caller;
import io.linkflow.user.access.Callers;
import io.linkflow.user.invitation.Invitation;
import io.linkflow.user.invitation.InvitationService;
import io.linkflow.user.membership.Member;
import io.linkflow.user.membership.MembershipService;
import io.linkflow.user.workspace.Workspace;
import io.linkflow.user.workspace.WorkspaceService;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Workspaces under {@code /api/v1/workspaces}: creating one, and the caller's current workspace
 * (the token's {@code wid}) with its members and invitations. Roles are checked against the token
 * and against this service's own copy of the membership (fresher than a token).
 */
@Path("/api/v1/workspaces")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "workspaces", description = "Workspaces (tenants), their members and invitations")
public class WorkspaceResource {

  /** Create and rename body. */
  public record WorkspaceName(String name) {}

  /** Role change body. */
  public record RoleChange(String role) {}

  /** Invitation body. */
  public record InvitationRequest(String email, String role) {}

  private final Callers callers;
  private final WorkspaceService workspaces;
  private final MembershipService members;
  private final InvitationService invitations;

  public WorkspaceResource(
      Callers callers,
      WorkspaceService workspaces,
      MembershipService members,
      InvitationService invitations) {
    this.callers = callers;
    this.workspaces = workspaces;
    this.members = members;
    this.invitations = invitations;
  }

  @POST
  @PermissionsAllowed(Scopes.API)
  @Operation(
      summary = "Create a workspace; you become its owner",
      description =
          "Announced on user.events as workspace_created and member_added (workspace_created)."
              + " Switch to it with auth-service's POST /api/v1/auth/switch-workspace.")
  @APIResponse(responseCode = "201", description = "The workspace, with your role (owner)")
  @APIResponse(responseCode = "400", description = "name missing, blank or too long")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Not a person's token (an API key or a service)")
  @APIResponse(responseCode = "404", description = "Your sign-up has not reached this service yet")
  public Uni<Response> create(WorkspaceName body) {
    UUID user = callers.person();
    String name = name(body);
    return workspaces
        .create(user, name)
        .map(workspace -> Response.status(201).entity(workspace).build());
  }

  @GET
  @Path("/current")
  @PermissionsAllowed("workspace:read")
  @Operation(summary = "Your current workspace (the token's), with your role; any member")
  @APIResponse(responseCode = "200", description = "id, name, personal, createdAt, role")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "404", description = "You are no longer a member of it")
  public Uni<Workspace> current() {
    return workspaces.current(callers.member(Roles.VIEWER));
  }

  @PATCH
  @Path("/current")
  @PermissionsAllowed("workspace:write")
  @Operation(summary = "Rename your current workspace; admin or owner")
  @APIResponse(responseCode = "200", description = "The renamed workspace")
  @APIResponse(responseCode = "400", description = "name missing, blank or too long")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below admin, or the token lacks the scope")
  @APIResponse(responseCode = "404", description = "You are no longer a member of it")
  public Uni<Workspace> rename(WorkspaceName body) {
    Caller caller = callers.member(Roles.ADMIN);
    return workspaces.rename(caller, name(body));
  }

  @POST
  @Path("/current/leave")
  @Consumes(MediaType.WILDCARD)
  @PermissionsAllowed(Scopes.API)
  @Operation(
      summary = "Leave your current workspace (and its teams); any member",
      description = "Announced as member_removed (reason left).")
  @APIResponse(responseCode = "204", description = "You left")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "404", description = "You are no longer a member of it")
  @APIResponse(
      responseCode = "409",
      description = "You are its last owner: make someone else an owner first")
  public Uni<Response> leave() {
    return members.leave(callers.member(Roles.VIEWER)).map(ignored -> Response.noContent().build());
  }

  @GET
  @Path("/current/members")
  @PermissionsAllowed("members:read")
  @Operation(summary = "Members of your current workspace, in the order they joined; any member")
  @APIResponse(
      responseCode = "200",
      description =
          "{items: [{userId, email, displayName, role, joinedAt}], nextCursor}; pass nextCursor"
              + " back as ?cursor= (limit 1–100, default 20)")
  @APIResponse(responseCode = "400", description = "Bad limit or cursor")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "404", description = "You are no longer a member of it")
  public Uni<Page<Member>> members(
      @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
    Caller caller = callers.member(Roles.VIEWER);
    return members.list(caller, PageRequest.of(limit, cursor));
  }

  @PATCH
  @Path("/current/members/{userId}")
  @PermissionsAllowed("members:write")
  @Operation(
      summary = "Change a member's role; admin or owner (owner to grant or take away owner)",
      description =
          "The last owner cannot be demoted. Announced as member_role_changed (role_changed).")
  @APIResponse(responseCode = "200", description = "The member with their new role")
  @APIResponse(responseCode = "400", description = "role missing or unknown")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "403",
      description = "Below admin, or an admin granting or taking away owner")
  @APIResponse(responseCode = "404", description = "No such member in your workspace")
  @APIResponse(responseCode = "409", description = "The member is the last owner")
  public Uni<Member> changeRole(@PathParam("userId") UUID userId, RoleChange body) {
    Caller caller = callers.member(Roles.ADMIN);
    Input input = Input.check();
    String role = input.role("role", Input.body(body).role());
    input.orFail();
    if (Roles.OWNER.equals(role)) {
      callers.requireTokenRole(Roles.OWNER);
    }
    return members.changeRole(caller, userId, role);
  }

  @DELETE
  @Path("/current/members/{userId}")
  @Consumes(MediaType.WILDCARD)
  @PermissionsAllowed("members:write")
  @Operation(
      summary =
          "Remove a member (and from the workspace's teams); admin or owner (owner for an"
              + " owner)",
      description = "The last owner cannot be removed. Announced as member_removed (removed).")
  @APIResponse(responseCode = "204", description = "Removed")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below admin, or an admin removing an owner")
  @APIResponse(responseCode = "404", description = "No such member in your workspace")
  @APIResponse(responseCode = "409", description = "The member is the last owner")
  public Uni<Response> remove(@PathParam("userId") UUID userId) {
    Caller caller = callers.member(Roles.ADMIN);
    return members.remove(caller, userId).map(ignored -> Response.noContent().build());
  }

  @POST
  @Path("/current/invitations")
  @PermissionsAllowed("members:write")
  @Operation(
      summary = "Invite an e-mail address with a role; admin or owner (owner to invite an owner)",
      description =
          "The response carries the invitation's secret token, shown only here: pass it to the"
              + " invitee. It expires after linkflow.user.invitation-ttl (7 days).")
  @APIResponse(responseCode = "201", description = "{id, email, role, expiresAt, token}")
  @APIResponse(responseCode = "400", description = "email or role missing or invalid")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below admin, or an admin inviting an owner")
  @APIResponse(
      responseCode = "409",
      description = "Already a member, or a pending invitation to this address exists")
  public Uni<Response> invite(InvitationRequest body) {
    Caller caller = callers.member(Roles.ADMIN);
    InvitationRequest request = Input.body(body);
    Input input = Input.check();
    String email = input.email("email", request.email());
    String role = input.role("role", request.role());
    input.orFail();
    if (Roles.OWNER.equals(role)) {
      callers.requireTokenRole(Roles.OWNER);
    }
    return invitations
        .create(caller, email, role)
        .map(created -> Response.status(201).entity(created).build());
  }

  @GET
  @Path("/current/invitations")
  @PermissionsAllowed("members:read")
  @Operation(summary = "Pending invitations of your current workspace; admin or owner")
  @APIResponse(
      responseCode = "200",
      description = "{items: [{id, email, role, invitedBy, createdAt, expiresAt}]} (no tokens)")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below admin")
  @APIResponse(responseCode = "404", description = "You are no longer a member of it")
  public Uni<Listing<Invitation>> invitations() {
    return invitations.pending(callers.member(Roles.ADMIN)).map(Listing::new);
  }

  @DELETE
  @Path("/current/invitations/{id}")
  @Consumes(MediaType.WILDCARD)
  @PermissionsAllowed("members:write")
  @Operation(summary = "Revoke a pending invitation; admin or owner")
  @APIResponse(responseCode = "204", description = "Revoked; its token no longer works")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below admin")
  @APIResponse(responseCode = "404", description = "No pending invitation with this id here")
  public Uni<Response> revoke(@PathParam("id") UUID id) {
    Caller caller = callers.member(Roles.ADMIN);
    return invitations.revoke(caller, id).map(ignored -> Response.noContent().build());
  }

  private static String name(WorkspaceName body) {
    Input input = Input.check();
    String name = input.text("name", Input.body(body).name(), UserResource.MAX_NAME);
    input.orFail();
    return name;
  }
}
