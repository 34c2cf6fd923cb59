package io.linkflow.user.rest;

import io.linkflow.common.paging.Page;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.security.Roles;
import io.linkflow.user.access.Caller;
import io.linkflow.user.access.Callers;
import io.linkflow.user.team.Team;
import io.linkflow.user.team.TeamService;
import io.linkflow.user.team.TeamSummary;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Teams of the caller's current workspace under {@code /api/v1/teams}: any member reads them,
 * admins and owners change them. Ids of teams in other workspaces answer 404.
 */
@Path("/api/v1/teams")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "teams", description = "Groups of members inside a workspace")
public class TeamResource {

  /**
   * Create body, and PATCH body where every field is optional (a null or absent field is left as it
   * is; an empty description clears it).
   */
  public record TeamFields(String name, String description) {}

  static final int MAX_DESCRIPTION = 500;

  private final Callers callers;
  private final TeamService teams;

  public TeamResource(Callers callers, TeamService teams) {
    this.callers = callers;
    this.teams = teams;
  }

  @POST
  @PermissionsAllowed("members:write")
  @Operation(summary = "Create a team; admin or owner")
  @APIResponse(responseCode = "201", description = "The team (no members yet); Location: its URL")
  @APIResponse(
      responseCode = "400",
      description = "name missing, blank or too long; description too long")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below admin, or the token lacks the scope")
  @APIResponse(responseCode = "409", description = "A team with this name exists (any case)")
  public Uni<Response> create(TeamFields body) {
    Caller caller = callers.member(Roles.ADMIN);
    TeamFields fields = Input.body(body);
    Input input = Input.check();
    String name = input.text("name", fields.name(), UserResource.MAX_NAME);
    String description = input.optionalText("description", fields.description(), MAX_DESCRIPTION);
    input.orFail();
    return teams
        .create(caller, name, emptyToNull(description))
        .map(
            team ->
                Response.created(URI.create("/api/v1/teams/" + team.id())).entity(team).build());
  }

  @GET
  @PermissionsAllowed("members:read")
  @Operation(summary = "Teams of your current workspace, by name; any member")
  @APIResponse(
      responseCode = "200",
      description =
          "{items: [{id, name, description, memberCount, createdAt, updatedAt}], nextCursor}")
  @APIResponse(responseCode = "400", description = "Bad limit or cursor")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "404", description = "You are no longer a member of the workspace")
  public Uni<Page<TeamSummary>> list(
      @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
    Caller caller = callers.member(Roles.VIEWER);
    return teams.list(caller, PageRequest.of(limit, cursor));
  }

  @GET
  @Path("/{id}")
  @PermissionsAllowed("members:read")
  @Operation(summary = "A team with its members; any member")
  @APIResponse(
      responseCode = "200",
      description =
          "{id, name, description, createdAt, updatedAt, members: [{userId, email,"
              + " displayName, addedAt}]}")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "404", description = "No such team in your workspace")
  public Uni<Team> get(@PathParam("id") UUID id) {
    return teams.get(callers.member(Roles.VIEWER), id);
  }

  @PATCH
  @Path("/{id}")
  @PermissionsAllowed("members:write")
  @Operation(
      summary = "Rename a team or change its description; admin or owner",
      description = "Absent fields stay as they are; an empty description clears it.")
  @APIResponse(responseCode = "200", description = "The updated team")
  @APIResponse(responseCode = "400", description = "No field given, blank or too long values")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below admin")
  @APIResponse(responseCode = "404", description = "No such team in your workspace")
  @APIResponse(responseCode = "409", description = "Another team has this name")
  public Uni<Team> update(@PathParam("id") UUID id, TeamFields body) {
    Caller caller = callers.member(Roles.ADMIN);
    TeamFields fields = Input.body(body);
    Input input = Input.check();
    String name =
        fields.name() == null ? null : input.text("name", fields.name(), UserResource.MAX_NAME);
    String description = input.optionalText("description", fields.description(), MAX_DESCRIPTION);
    if (fields.name() == null && fields.description() == null) {
      input.reject("name", "give a name or a description to change");
    }
    input.orFail();
    return teams.update(caller, id, name, fields.description() != null, emptyToNull(description));
  }

  @DELETE
  @Path("/{id}")
  @Consumes(MediaType.WILDCARD)
  @PermissionsAllowed("members:write")
  @Operation(summary = "Delete a team (its members stay in the workspace); admin or owner")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below admin")
  @APIResponse(responseCode = "404", description = "No such team in your workspace")
  public Uni<Response> delete(@PathParam("id") UUID id) {
    Caller caller = callers.member(Roles.ADMIN);
    return teams.delete(caller, id).map(ignored -> Response.noContent().build());
  }

  @PUT
  @Path("/{id}/members/{userId}")
  @Consumes(MediaType.WILDCARD)
  @PermissionsAllowed("members:write")
  @Operation(summary = "Add a workspace member to a team (idempotent); admin or owner")
  @APIResponse(responseCode = "204", description = "The person is in the team")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below admin")
  @APIResponse(
      responseCode = "404",
      description = "No such team in your workspace, or the person is not a member of it")
  public Uni<Response> addMember(@PathParam("id") UUID id, @PathParam("userId") UUID userId) {
    Caller caller = callers.member(Roles.ADMIN);
    return teams.addMember(caller, id, userId).map(ignored -> Response.noContent().build());
  }

  @DELETE
  @Path("/{id}/members/{userId}")
  @Consumes(MediaType.WILDCARD)
  @PermissionsAllowed("members:write")
  @Operation(summary = "Take someone out of a team; admin or owner")
  @APIResponse(responseCode = "204", description = "Removed from the team")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "Below admin")
  @APIResponse(
      responseCode = "404",
      description = "No such team in your workspace, or the person is not in it")
  public Uni<Response> removeMember(@PathParam("id") UUID id, @PathParam("userId") UUID userId) {
    Caller caller = callers.member(Roles.ADMIN);
    return teams.removeMember(caller, id, userId).map(ignored -> Response.noContent().build());
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
