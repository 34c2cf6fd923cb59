package io.linkflow.security;

import io.linkflow.common.tenancy.TenantContext;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Puts the authenticated caller into {@link TenantContext} before any resource method runs: the
 * subject, the workspace ({@code wid}) and the roles. A request without a valid credential stays
 * anonymous here; endpoints that need a caller reject it (401) in the security check. Endpoints
 * marked {@code @PermitAll} are not authenticated at all.
 */
public class CallerFilter {

  /** Claim with the workspace a token is for. */
  public static final String WORKSPACE_CLAIM = "wid";

  @Inject CurrentIdentityAssociation identities;
  @Inject TenantContext tenant;

  @ServerRequestFilter
  public Uni<Void> identify(ResourceInfo resource) {
    if (isPublic(resource)) {
      // public endpoints never authenticate: a stale token must not break sign-up, and the API-key
      // exchange must not try to exchange its own key
      return Uni.createFrom().voidItem();
    }
    return identities
        .getDeferredIdentity()
        .onFailure()
        .recoverWithNull()
        .invoke(this::record)
        .replaceWithVoid();
  }

  private static boolean isPublic(ResourceInfo resource) {
    Method method = resource.getResourceMethod();
    return method != null
        && (method.isAnnotationPresent(PermitAll.class)
            || (method.getDeclaringClass().isAnnotationPresent(PermitAll.class)
                && !method.isAnnotationPresent(RolesAllowed.class)));
  }

  private void record(SecurityIdentity identity) {
    if (identity == null
        || identity.isAnonymous()
        || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
      return;
    }
    String subject = jwt.getSubject();
    tenant.set(subject, uuid(subject), uuid(jwt.getClaim(WORKSPACE_CLAIM)), identity.getRoles());
  }

  private static UUID uuid(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return UUID.fromString(value.toString());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
