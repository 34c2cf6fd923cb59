package io.linkflow.security;

import io.linkflow.common.tenancy.TenantContext;
import io.quarkus.security.PermissionsAllowed;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Endpoints standing in for a service's API in the library's tests. */
@Path("/test/secured")
@Produces(MediaType.APPLICATION_JSON)
public class SecuredTestApi {

  private final TenantContext tenant;

  public SecuredTestApi(TenantContext tenant) {
    this.tenant = tenant;
  }

  /** Any authenticated caller (the default for every endpoint). */
  @GET
  @Path("/me")
  public Map<String, Object> me() {
    return Map.of(
        "principal", tenant.principal().orElse(""),
        "user", tenant.userId().map(Object::toString).orElse(""),
        "workspace", tenant.workspaceId().map(Object::toString).orElse(""),
        "editor", tenant.hasRole(Roles.EDITOR));
  }

  @GET
  @Path("/public")
  @PermitAll
  public Map<String, Object> open() {
    return Map.of("public", true);
  }

  @DELETE
  @Path("/admin")
  @RolesAllowed(Roles.ADMIN)
  public Map<String, Object> admin() {
    return Map.of("admin", true);
  }

  @GET
  @Path("/workflows")
  @PermissionsAllowed("workflows:read")
  public Map<String, Object> workflows() {
    return Map.of("workflows", true);
  }

  @GET
  @Path("/decrypt")
  @PermissionsAllowed(Scopes.CREDENTIALS_DECRYPT)
  public Map<String, Object> decrypt() {
    return Map.of("decrypted", true);
  }
}
