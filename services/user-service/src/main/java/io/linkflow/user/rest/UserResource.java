package io.linkflow.user.rest;

import io.linkflow.security.Scopes;
import io.linkflow.user.access.Callers;
import io.linkflow.user.invitation.InvitationService;
import io.linkflow.user.invitation.ReceivedInvitation;
import io.linkflow.user.profile.ProfileService;
import io.linkflow.user.profile.UserProfile;
import io.linkflow.user.workspace.Workspace;
import io.linkflow.user.workspace.WorkspaceService;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The calling person: their profile, the workspaces they belong to and the invitations addressed to
 * them, under {@code /api/v1/users/me}. These are about the person, not the token's workspace.
 */
@Path("/api/v1/users/me")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "users", description = "The calling person")
public class UserResource {

  /** PATCH body of the profile. */
  public record ProfileChange(String displayName) {}

  /** Accept and decline body: the invitation's secret. */
  public record InvitationToken(String token) {}

  static final int MAX_NAME = 100;

  private final Callers callers;
  private final ProfileService profiles;
  private final WorkspaceService workspaces;
  private final InvitationService invitations;

  public UserResource(
      Callers callers,
      ProfileService profiles,
      WorkspaceService workspaces,
      InvitationService invitations) {
    this.callers = callers;
    this.profiles = profiles;
    this.workspaces = workspaces;
    this.invitations = invitations;
  }

  @GET
  @PermissionsAllowed("members:read")
  @Operation(summary = "Your profile")
  @APIResponse(
      responseCode = "200",
      description = "id, email, emailVerified, displayName, createdAt")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "404", description = "Your sign-up has not reached this service yet")
  public Uni<UserProfile> me() {
    return profiles.me(callers.person());
  }

  @PATCH
  @PermissionsAllowed(Scopes.API)
  @Operation(summary = "Change your display name (1–100 characters, trimmed)")
  @APIResponse(responseCode = "200", description = "The updated profile")
  @APIResponse(responseCode = "400", description = "displayName missing, blank or too long")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Not a person's token (an API key or a service)")
  @APIResponse(responseCode = "404", description = "Your sign-up has not reached this service yet")
  public Uni<UserProfile> changeProfile(ProfileChange body) {
    UUID user = callers.person();
    Input input = Input.check();
    String displayName = input.text("displayName", Input.body(body).displayName(), MAX_NAME);
    input.orFail();
    return profiles.rename(user, displayName);
  }

  @GET
  @Path("/workspaces")
  @PermissionsAllowed("workspace:read")
  @Operation(
      summary = "The workspaces you belong to, with your role in each",
      description =
          "What a client offers to switch to; switching is auth-service's"
              + " POST /api/v1/auth/switch-workspace.")
  @APIResponse(
      responseCode = "200",
      description = "{items: [{id, name, personal, createdAt, role}]}")
  @APIResponse(responseCode = "401", description = "No valid token")
  public Uni<Listing<Workspace>> myWorkspaces() {
    return workspaces.ofMember(callers.person()).map(Listing::new);
  }

  @GET
  @Path("/invitations")
  @PermissionsAllowed("members:read")
  @Operation(summary = "Pending invitations addressed to your e-mail address")
  @APIResponse(
      responseCode = "200",
      description = "{items: [{id, workspaceId, workspaceName, role, createdAt, expiresAt}]}")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "404", description = "Your sign-up has not reached this service yet")
  public Uni<Listing<ReceivedInvitation>> myInvitations() {
    return invitations.received(callers.person()).map(Listing::new);
  }

  @POST
  @Path("/invitations/accept")
  @PermissionsAllowed(Scopes.API)
  @Operation(
      summary = "Accept an invitation: join its workspace with the invited role",
      description = "Single use. Announced on user.events as member_added (invitation_accepted).")
  @APIResponse(responseCode = "200", description = "The workspace you joined, with your role")
  @APIResponse(responseCode = "400", description = "token missing")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "404",
      description = "No invitation with this token, or it is addressed to another e-mail address")
  @APIResponse(responseCode = "409", description = "You are already a member of the workspace")
  @APIResponse(
      responseCode = "410",
      description = "The invitation was already accepted or declined, was revoked, or expired")
  public Uni<Workspace> accept(InvitationToken body) {
    UUID user = callers.person();
    return invitations.accept(user, token(body));
  }

  @POST
  @Path("/invitations/decline")
  @PermissionsAllowed(Scopes.API)
  @Operation(summary = "Decline an invitation (single use)")
  @APIResponse(responseCode = "204", description = "Declined")
  @APIResponse(responseCode = "400", description = "token missing")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "404",
      description = "No invitation with this token, or it is addressed to another e-mail address")
  @APIResponse(
      responseCode = "410",
      description = "The invitation was already accepted or declined, was revoked, or expired")
  public Uni<Response> decline(InvitationToken body) {
    UUID user = callers.person();
    return invitations.decline(user, token(body)).map(ignored -> Response.noContent().build());
  }

  private static String token(InvitationToken body) {
    Input input = Input.check();
    String token = input.secret("token", Input.body(body).token());
    input.orFail();
    return token;
  }
}
