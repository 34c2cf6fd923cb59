package io.linkflow.user.access;

import io.linkflow.common.tenancy.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Who is calling, from {@link TenantContext}. Quarkus allows only one security annotation per
 * method, and endpoints carry {@code @PermissionsAllowed} for the token's scope; the role the token
 * claims is checked here. It may be up to an access-token lifetime old, so services check the role
 * stored in this service's database as well ({@link MemberAccess}).
 */
@ApplicationScoped
public class Callers {

  private final TenantContext tenant;

  public Callers(TenantContext tenant) {
    this.tenant = tenant;
  }

  /** The calling person, for requests about themselves rather than a workspace. */
  public UUID person() {
    return tenant.requireUser();
  }

  /** The calling person in their token's workspace; 403 unless the token claims {@code role}. */
  public Caller member(String role) {
    UUID user = tenant.requireUser();
    UUID workspace = tenant.requireWorkspace();
    requireTokenRole(role);
    return new Caller(user, workspace);
  }

  /** 403 unless the token claims {@code role} (or a higher one). */
  public void requireTokenRole(String role) {
    if (!tenant.hasRole(role)) {
      throw MemberAccess.forbidden(role);
    }
  }
}
