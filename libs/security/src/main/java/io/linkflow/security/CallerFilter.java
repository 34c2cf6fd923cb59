package io.linkflow.security;

import io.linkflow.common.tenancy.TenantContext;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Puts the authenticated caller into {@link TenantContext} before any resource method runs: the
 * subject, the workspace ({@code wid}) and the roles. A request without a valid credential stays
 * anonymous here; endpoints that need a caller reject it (401) in the security check.
 */
public class CallerFilter {

  /** Claim with the workspace a token is for. */
  public static final String WORKSPACE_CLAIM = "wid";

  @Inject CurrentIdentityAssociation identities;
  @Inject TenantContext tenant;

  @ServerRequestFilter
  public Uni<Void> identify() {
    return identities
        .getDeferredIdentity()
        .onFailure()
        .recoverWithNull()
        .invoke(this::record)
        .replaceWithVoid();
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
