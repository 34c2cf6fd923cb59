package io.linkflow.credential;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkflow.common.error.ProblemException;
import io.linkflow.common.paging.Page;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.common.tenancy.TenantContext;
import io.linkflow.security.Roles;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
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
 * Credentials of the caller's workspace. Anyone in the workspace reads them (secret fields are
 * never returned); editors and above change them and connect OAuth2 accounts.
 */
@Path("/api/v1/credentials")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "credentials", description = "Encrypted credentials for nodes; OAuth2 connections")
public class CredentialResource {

  /** Creation body: the fields ({@code data}) as the type's schema describes them. */
  public record CreateRequest(String name, String type, JsonNode data) {}

  /**
   * Change body: a new name and/or the fields to change ({@code data} is merged onto the stored
   * fields: left out keeps, {@code null} removes); {@code type} may only repeat what it is.
   */
  public record UpdateRequest(String name, String type, JsonNode data) {}

  private final CredentialService credentials;
  private final OAuth2Flow oauth2;
  private final TenantContext tenant;

  public CredentialResource(
      CredentialService credentials, OAuth2Flow oauth2, TenantContext tenant) {
    this.credentials = credentials;
    this.oauth2 = oauth2;
    this.tenant = tenant;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @PermissionsAllowed("credentials:write")
  @Operation(summary = "Create a credential (secret fields are encrypted and never shown again)")
  @APIResponse(responseCode = "201", description = "Created; Location names it")
  @APIResponse(
      responseCode = "400",
      description =
          "Bad name, unknown type, or fields that fail the type's schema (one error each)")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "403",
      description = "Below editor, or the token lacks credentials:write")
  @APIResponse(responseCode = "409", description = "The name is taken in this workspace")
  public Uni<Response> create(CreateRequest body) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    CreateRequest request = ProblemException.requireBody(body);
    return credentials
        .create(workspace, actor(), request.name(), request.type(), request.data())
        .map(
            created ->
                Response.created(URI.create("/api/v1/credentials/" + created.id()))
                    .entity(created)
                    .build());
  }

  @GET
  @PermissionsAllowed("credentials:read")
  @Operation(summary = "List the workspace's credentials by name (secret fields never shown)")
  @APIResponse(responseCode = "200", description = "{items, nextCursor}")
  @APIResponse(responseCode = "400", description = "Bad limit or cursor")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "The token lacks credentials:read")
  public Uni<Page<Credential>> list(
      @QueryParam("type") String type,
      @QueryParam("search") String search,
      @QueryParam("limit") Integer limit,
      @QueryParam("cursor") String cursor) {
    UUID workspace = tenant.requireWorkspace();
    return credentials.list(
        workspace, blankToNull(type), blankToNull(search), PageRequest.of(limit, cursor));
  }

  @GET
  @Path("/{id}")
  @PermissionsAllowed("credentials:read")
  @Operation(summary = "One credential (secret fields never shown)")
  @APIResponse(responseCode = "200", description = "The credential")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(responseCode = "403", description = "The token lacks credentials:read")
  @APIResponse(responseCode = "404", description = "No such credential in this workspace")
  public Uni<Credential> get(@PathParam("id") UUID id) {
    return credentials.get(tenant.requireWorkspace(), id);
  }

  @PATCH
  @Path("/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @PermissionsAllowed("credentials:write")
  @Operation(
      summary =
          "Rename a credential and/or change some of its fields (fields left out keep their"
              + " value)")
  @APIResponse(responseCode = "200", description = "The credential")
  @APIResponse(
      responseCode = "400",
      description = "Bad name, a change of type, or merged fields that fail the type's schema")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "403",
      description = "Below editor, or the token lacks credentials:write")
  @APIResponse(responseCode = "404", description = "No such credential in this workspace")
  @APIResponse(responseCode = "409", description = "The new name is taken in this workspace")
  public Uni<Credential> update(@PathParam("id") UUID id, UpdateRequest body) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    UpdateRequest request = ProblemException.requireBody(body);
    return credentials.update(
        workspace, id, actor(), request.name(), request.type(), request.data());
  }

  @DELETE
  @Path("/{id}")
  @PermissionsAllowed("credentials:write")
  @Operation(summary = "Delete a credential")
  @APIResponse(responseCode = "204", description = "Deleted")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "403",
      description = "Below editor, or the token lacks credentials:write")
  @APIResponse(responseCode = "404", description = "No such credential in this workspace")
  public Uni<Response> delete(@PathParam("id") UUID id) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    return credentials.delete(workspace, id, actor()).map(ignored -> Response.noContent().build());
  }

  @POST
  @Path("/{id}/oauth2/authorize")
  @PermissionsAllowed("credentials:write")
  @Operation(
      summary =
          "Start connecting an OAuth2 (authorization code) credential: the provider URL to open")
  @APIResponse(
      responseCode = "200",
      description = "{authorizationUrl, expiresAt}: send the browser there before expiresAt")
  @APIResponse(responseCode = "400", description = "The credential is not oauth2AuthorizationCode")
  @APIResponse(responseCode = "401", description = "No valid token")
  @APIResponse(
      responseCode = "403",
      description = "Below editor, or the token lacks credentials:write")
  @APIResponse(responseCode = "404", description = "No such credential in this workspace")
  public Uni<OAuth2Flow.Authorization> authorize(@PathParam("id") UUID id) {
    UUID workspace = tenant.requireWorkspace();
    tenant.requireRole(Roles.EDITOR);
    return oauth2.authorize(workspace, id, actor());
  }

  @GET
  @Path("/oauth2/callback")
  @PermitAll
  @Operation(
      summary =
          "Where the provider sends the browser back; the single-use state authenticates the"
              + " call")
  @APIResponse(responseCode = "200", description = "{credentialId, name, status: ready}")
  @APIResponse(
      responseCode = "400",
      description =
          "Unknown, expired or reused state, the provider's error (e.g. access_denied), or a code"
              + " the token endpoint refused")
  @APIResponse(responseCode = "502", description = "The provider's token endpoint failed")
  public Uni<OAuth2Flow.Connected> callback(
      @QueryParam("code") String code,
      @QueryParam("state") String state,
      @QueryParam("error") String error,
      @QueryParam("error_description") String errorDescription) {
    return oauth2.callback(code, state, error, errorDescription);
  }

  private String actor() {
    return tenant.principal().orElseThrow();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
