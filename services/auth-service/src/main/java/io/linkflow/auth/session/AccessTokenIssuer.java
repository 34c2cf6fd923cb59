package io.linkflow.auth.session;

import io.linkflow.auth.keys.SigningKeyService;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signs short-lived RS256 access tokens with the active key ({@code kid} in the header): {@code
 * iss, aud, sub} (account id), {@code wid} (workspace id), {@code groups} (roles in that
 * workspace), {@code scope}, {@code sid} (session), {@code jti}, {@code iat}, {@code exp}.
 */
@ApplicationScoped
public class AccessTokenIssuer {

  /** Scope of tokens issued to people: the public API. */
  public static final String API_SCOPE = "api";

  private final SigningKeyService keys;
  private final String issuer;
  private final String audience;
  private final Duration ttl;

  public AccessTokenIssuer(
      SigningKeyService keys,
      @ConfigProperty(name = "linkflow.auth.issuer") String issuer,
      @ConfigProperty(name = "linkflow.auth.audience", defaultValue = "linkflow") String audience,
      @ConfigProperty(name = "linkflow.auth.access-token-ttl", defaultValue = "15m") Duration ttl) {
    this.keys = keys;
    this.issuer = issuer;
    this.audience = audience;
    this.ttl = ttl;
  }

  public Duration ttl() {
    return ttl;
  }

  public Uni<String> issue(UUID accountId, UUID workspaceId, UUID sessionId, Set<String> roles) {
    return keys.active()
        .map(
            key -> {
              Instant now = Instant.now();
              return Jwt.issuer(issuer)
                  .audience(audience)
                  .subject(accountId.toString())
                  .issuedAt(now)
                  .expiresAt(now.plus(ttl))
                  .claim("jti", UUID.randomUUID().toString())
                  .claim("wid", workspaceId.toString())
                  .claim("sid", sessionId.toString())
                  .claim("scope", API_SCOPE)
                  .groups(roles)
                  .jws()
                  .keyId(key.kid())
                  .algorithm(SignatureAlgorithm.RS256)
                  .sign(key.privateKey());
            });
  }
}
