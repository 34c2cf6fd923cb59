package io.linkflow.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Completes a token's identity: adds the roles implied by the member's role ({@link Roles}) and
 * grants permissions from the {@code scope} claim ({@link Scopes}).
 */
@ApplicationScoped
public class CallerAugmentor implements SecurityIdentityAugmentor {

  /** Identity attribute holding the token's scopes ({@code Set<String>}). */
  public static final String SCOPES = "linkflow.scopes";

  @Override
  public Uni<SecurityIdentity> augment(
      SecurityIdentity identity, AuthenticationRequestContext context) {
    if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
      return Uni.createFrom().item(identity);
    }
    Set<String> scopes = Scopes.parse(jwt.getClaim("scope"));
    return Uni.createFrom()
        .item(
            QuarkusSecurityIdentity.builder(identity)
                .addRoles(Roles.implied(identity.getRoles()))
                .addAttribute(SCOPES, scopes)
                .addPermissionChecker(
                    permission -> Uni.createFrom().item(Scopes.grants(scopes, permission)))
                .build());
  }
}
