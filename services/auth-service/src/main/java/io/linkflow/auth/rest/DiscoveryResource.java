package io.linkflow.auth.rest;

import io.linkflow.auth.keys.SigningKeyService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * OpenID Connect discovery and the JWKS, under the issuer {@code …/api/v1/auth}, so every service
 * (and Istio) verifies tokens with the public keys alone.
 */
@Path("/api/v1/auth")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "discovery", description = "Token verification keys")
public class DiscoveryResource {

  private final SigningKeyService keys;
  private final String issuer;

  public DiscoveryResource(
      SigningKeyService keys, @ConfigProperty(name = "linkflow.auth.issuer") String issuer) {
    this.keys = keys;
    this.issuer = issuer;
  }

  @GET
  @Path("/jwks")
  @Operation(summary = "The public signing keys (JWKS), current and recently retired")
  public Uni<Map<String, Object>> jwks() {
    return keys.jwks();
  }

  @GET
  @Path("/.well-known/openid-configuration")
  @Operation(summary = "OpenID Connect discovery document")
  public Map<String, Object> discovery() {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("issuer", issuer);
    document.put("jwks_uri", issuer + "/jwks");
    document.put("token_endpoint", issuer + "/login");
    document.put("response_types_supported", List.of("token"));
    document.put("subject_types_supported", List.of("public"));
    document.put("id_token_signing_alg_values_supported", List.of("RS256"));
    document.put("token_endpoint_auth_methods_supported", List.of("none"));
    document.put(
        "claims_supported",
        List.of("sub", "iss", "aud", "exp", "iat", "jti", "wid", "sid", "groups", "scope"));
    return document;
  }
}
