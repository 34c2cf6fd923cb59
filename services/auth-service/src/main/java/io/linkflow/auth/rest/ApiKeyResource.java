package io.linkflow.auth.rest;

import io.linkflow.auth.apikey.ApiKey;
import io.linkflow.auth.apikey.ApiKeyService;
import io.linkflow.common.error.ProblemException;
import io.linkflow.common.tenancy.TenantContext;
import io.linkflow.security.ApiKeyAuthenticationMechanism;
import io.linkflow.security.Roles;
import io.linkflow.security.Scopes;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** API keys of the caller's workspace, and the exchange services use to accept them. */
@Path("/api/v1/auth/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "api-keys", description = "Keys for machines")
public class ApiKeyResource {

  /** Creation body; role defaults to yours (admin for owners), expiry to 90 days. */
  public record CreateRequest(
      String name, List<String> scopes, String role, Integer expiresInDays) {}

  /** A key as listed: never the key itself. */
  public record KeyView(
      UUID id,
      String name,
      String prefix,
      String role,
      List<String> scopes,
      UUID createdBy,
      Instant createdAt,
      Instant expiresAt,
      Instant lastUsedAt) {
    static KeyView of(ApiKey key) {
      return new KeyView(
          key.id(),
          key.name(),
          key.prefix(),
          key.role(),
          key.scopes(),
          key.createdBy(),
          key.createdAt(),
          key.expiresAt(),
          key.lastUsedAt());
    }
  }

  /** Creation answer: the only time the key is shown. */
  public record CreatedKey(
      UUID id,
      String name,
      String key,
      String prefix,
      String role,
      List<String> scopes,
      Instant createdAt,
      Instant expiresAt) {}

  /** The list. */
  public record KeyList(List<KeyView> items) {}

  private final ApiKeyService keys;
  private final TenantContext tenant;

  public ApiKeyResource(ApiKeyService keys, TenantContext tenant) {
    this.keys = keys;
    this.tenant = tenant;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @PermissionsAllowed(Scopes.API)
  @Operation(summary = "Create an API key (the key is in this answer only)")
  @APIResponse(responseCode = "201", description = "Created; store the key now")
  @APIResponse(responseCode = "400", description = "Missing name, unknown scopes, bad expiry")
  @APIResponse(responseCode = "403", description = "Viewer, or a role above yours")
  public Uni<Response> create(CreateRequest body) {
    tenant.requireRole(Roles.EDITOR);
    ProblemException.requireBody(body);
    return keys.create(
            tenant.requireUser(),
            tenant.requireWorkspace(),
            body.name(),
            body.scopes(),
            body.role(),
            body.expiresInDays())
        .map(
            created -> {
              ApiKey key = created.key();
              return Response.status(201)
                  .entity(
                      new CreatedKey(
                          key.id(),
                          key.name(),
                          created.secret(),
                          key.prefix(),
                          key.role(),
                          key.scopes(),
                          key.createdAt(),
                          key.expiresAt()))
                  .build();
            });
  }

  @GET
  @PermissionsAllowed("workspace:read")
  @Operation(summary = "List the workspace's live keys (admins: all; others: their own)")
  @APIResponse(responseCode = "200", description = "Newest first")
  public Uni<KeyList> list() {
    return keys.list(tenant.requireUser(), tenant.requireWorkspace(), tenant.hasRole(Roles.ADMIN))
        .map(found -> new KeyList(found.stream().map(KeyView::of).toList()));
  }

  @DELETE
  @Path("/{id}")
  @PermissionsAllowed(Scopes.API)
  @Operation(summary = "Revoke a key (yours, or any as an admin)")
  @APIResponse(
      responseCode = "204",
      description = "Revoked; services stop accepting it within 60 s")
  @APIResponse(responseCode = "404", description = "No such live key in this workspace")
  public Uni<Response> revoke(@PathParam("id") UUID id) {
    return keys.revoke(
            tenant.requireUser(), tenant.requireWorkspace(), tenant.hasRole(Roles.ADMIN), id)
        .map(ignored -> Response.noContent().build());
  }

  @POST
  @Path("/token")
  @PermitAll
  @Operation(
      summary = "Exchange an API key for a short-lived access token",
      description =
          "Services call this when a request carries X-API-Key; clients may too. The token acts"
              + " for the key's creator in the key's workspace with the key's role and scopes.")
  @APIResponse(responseCode = "200", description = "An access token")
  @APIResponse(responseCode = "401", description = "Unknown, revoked or expired key")
  public Uni<ApiKeyService.ExchangedToken> exchange(
      @HeaderParam(ApiKeyAuthenticationMechanism.HEADER) String key) {
    return keys.exchange(key == null ? null : key.trim());
  }
}
