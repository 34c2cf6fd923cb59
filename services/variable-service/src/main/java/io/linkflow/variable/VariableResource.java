package io.linkflow.variable;

import io.linkflow.common.error.ProblemException;
import io.linkflow.common.paging.Page;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.common.tenancy.TenantContext;
import io.linkflow.security.Roles;
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
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Variables of the caller's workspace. Anyone in the workspace reads them (secret values are never
 * returned); editors and above change them.
 */
@Path("/api/v1/variables")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "variables", description = "Workspace variables, plain and secret")
public class VariableResource {

  /** Creation body. */
  public record CreateRequest(String key, String value, Boolean secret, String description) {}

  /** Change body: value and/or description; secret may only repeat what it is. */
  public record UpdateRequest(String value, Boolean secret, String description) {}

  private final VariableService variables;
  private final TenantContext tenant;

  public VariableResource(VariableService variables, TenantContext tenant) {
    this.variables = variables;
    this.tenant = tenant;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @PermissionsAllowed("variables:write")
  @Operation(summary = "Create a variable (secret ones are encrypted and never shown again)")
  @APIResponse(responseCode = "201", description = "Created; Location names it")
  @APIResponse(
      responseCode = "400",
      description = "Bad key, missing or oversized value, long description")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "403",
      description = "Below editor, or the token lacks variables:write")
  @APIResponse(responseCode = "409", description = "The key is taken in this workspace")
  public Uni<Response> create(CreateRequest body) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    CreateRequest request = ProblemException.requireBody(body);
    return variables
        .create(
            workspace,
            actor(),
            request.key(),
            request.value(),
            request.secret(),
            request.description())
        .map(
            created ->
                Response.created(URI.create("/api/v1/variables/" + created.id()))
                    .entity(created)
                    .build());
  }

  @GET
  @PermissionsAllowed("variables:read")
  @Operation(summary = "List the workspace's variables by key (secret values masked)")
  @APIResponse(responseCode = "200", description = "{items, nextCursor}")
  @APIResponse(responseCode = "400", description = "Bad limit or cursor")
  @APIResponse(responseCode = "401", description = "No valid token")
  public Uni<Page<Variable>> list(
      @QueryParam("prefix") String prefix,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    UUID workspace = tenant.requireWorkspace();
    return variables.list(workspace, blankToNull(prefix), PageRequest.of(limit, cursor));
  }

  @GET
  @Path("/{id}")
  @PermissionsAllowed("variables:read")
  @Operation(summary = "One variable (a secret's value masked)")
  @APIResponse(responseCode = "200", description = "The variable")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "404", description = "No such variable in this workspace")
  public Uni<Variable> get(@PathParam("id") UUID id) {
    return variables.get(tenant.requireWorkspace(), id);
  }

  @PATCH
  @Path("/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @PermissionsAllowed("variables:write")
  @Operation(summary = "Change a variable's value and/or description")
  @APIResponse(responseCode = "200", description = "The variable")
  @APIResponse(
      responseCode = "400",
      description = "Oversized value, long description, or a change of secret")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "403",
      description = "Below editor, or the token lacks variables:write")
  @APIResponse(responseCode = "404", description = "No such variable in this workspace")
  public Uni<Variable> update(@PathParam("id") UUID id, UpdateRequest body) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    UpdateRequest request = ProblemException.requireBody(body);
    return variables.update(
        workspace, id, actor(), request.value(), request.secret(), request.description());
  }

  @DELETE
  @Path("/{id}")
  @PermissionsAllowed("variables:write")
  @Operation(summary = "Delete a variable")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "403",
      description = "Below editor, or the token lacks variables:write")
  @APIResponse(responseCode = "404", description = "No such variable in this workspace")
  public Uni<Response> delete(@PathParam("id") UUID id) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    return variables.delete(workspace, id, actor()).map(ignored -> Response.noContent().build());
  }

  private String actor() {
    return tenant.principal().orElseThrow();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
