package io.linkflow.security;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Accepts {@code X-API-Key}: the key is exchanged at auth-service for an access token ({@link
 * ApiKeyExchange}), which is then verified exactly like a bearer token (signature against the JWKS,
 * issuer, audience, expiry). A request that also has an {@code Authorization} header is left to the
 * bearer mechanism.
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

  public static final String HEADER = "X-API-Key";

  private final ApiKeyExchange exchange;

  public ApiKeyAuthenticationMechanism(ApiKeyExchange exchange) {
    this.exchange = exchange;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identityProviderManager) {
    String apiKey = context.request().getHeader(HEADER);
    if (apiKey == null
        || apiKey.isBlank()
        || context.request().getHeader("Authorization") != null) {
      return Uni.createFrom().nullItem();
    }
    return exchange
        .accessToken(apiKey.trim())
        .flatMap(
            token -> {
              TokenAuthenticationRequest request =
                  new TokenAuthenticationRequest(new AccessTokenCredential(token));
              HttpSecurityUtils.setRoutingContextAttribute(request, context);
              return identityProviderManager.authenticate(request);
            });
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(TokenAuthenticationRequest.class);
  }
}
