package io.linkflow.auth.session;

import io.linkflow.auth.keys.SigningKeyService;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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

  /** A person's token for a session in a workspace, with their role there. */
  public Uni<String> issue(UUID accountId, UUID workspaceId, UUID sessionId, Set<String> roles) {
    return sign(
        accountId.toString(),
        workspaceId,
        roles,
        API_SCOPE,
        ttl,
        Map.of("sid", sessionId.toString()));
  }

  /**
   * Signs a token with the active key.
   *
   * @param subject {@code sub}: an account id, or {@code service:<client>}
   * @param workspaceId {@code wid}, null for service tokens
   * @param roles {@code groups}
   * @param scope {@code scope}, space separated
   * @param lifetime until {@code exp}
   * @param extra further claims ({@code sid}, {@code akid}, …)
   */
  public Uni<String> sign(
      String subject,
      UUID workspaceId,
      Set<String> roles,
      String scope,
      Duration lifetime,
      Map<String, Object> extra) {
    return keys.active()
        .map(
            key -> {
              Instant now = Instant.now();
              JwtClaimsBuilder claims =
                  Jwt.issuer(issuer)
                      .audience(audience)
                      .subject(subject)
                      .issuedAt(now)
                      .expiresAt(now.plus(lifetime))
                      .claim("jti", UUID.randomUUID().toString())
                      .claim("scope", scope)
                      .groups(roles);
              if (workspaceId != null) {
                claims.claim("wid", workspaceId.toString());
              }
              extra.forEach(claims::claim);
              return claims
                  .jws()
                  .keyId(key.kid())
                  .algorithm(SignatureAlgorithm.RS256)
                  .sign(key.privateKey());
            });
  }
}
