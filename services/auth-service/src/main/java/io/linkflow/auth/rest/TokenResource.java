package io.linkflow.auth.rest;

import io.linkflow.auth.client.ClientCredentials;
import io.linkflow.auth.keys.SigningKeyService;
import io.linkflow.common.error.ProblemException;
import io.linkflow.security.Scopes;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Service-to-service tokens (client credentials) and the signing-key rotation command. */
@Path("/api/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "service-tokens", description = "Tokens for LinkFlow's own services and operators")
public class TokenResource {

  private final ClientCredentials clients;
  private final SigningKeyService keys;

  public TokenResource(ClientCredentials clients, SigningKeyService keys) {
    this.clients = clients;
    this.keys = keys;
  }

  @POST
  @Path("/token")
  @PermitAll
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Operation(
      summary = "OAuth 2.0 client-credentials grant for services",
      description =
          "grant_type=client_credentials; the client authenticates with HTTP Basic or"
              + " client_id/client_secret form fields; scope is optional (space separated).")
  @APIResponse(responseCode = "200", description = "access_token, token_type, expires_in, scope")
  @APIResponse(responseCode = "400", description = "Unsupported grant type or scope not allowed")
  @APIResponse(responseCode = "401", description = "Unknown client or wrong secret")
  public Uni<ClientCredentials.ServiceToken> token(
      @FormParam("grant_type") String grantType,
      @FormParam("client_id") String clientId,
      @FormParam("client_secret") String clientSecret,
      @FormParam("scope") String scope,
      @HeaderParam("Authorization") String authorization) {
    if (!"client_credentials".equals(grantType)) {
      throw new ProblemException(
          400, "unsupported_grant_type: only grant_type=client_credentials is supported here.");
    }
    String id = clientId;
    String secret = clientSecret;
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).trim()),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new ProblemException(401, "The Basic credentials are not valid base64.");
      }
      int colon = decoded.indexOf(':');
      if (colon > 0) {
        id = decoded.substring(0, colon);
        secret = decoded.substring(colon + 1);
      }
    }
    return clients.grant(id, secret, scope);
  }

  /** The rotation answer. */
  public record Rotated(String kid, Instant signsFrom) {}

  @POST
  @Path("/signing-keys/rotate")
  @PermissionsAllowed(Scopes.SIGNING_KEYS_ROTATE)
  @Operation(
      summary = "Rotate the token signing key (operators: make rotate-keys)",
      description =
          "The new key is published in the JWKS at once and signs from signsFrom (after the"
              + " publish lead); the previous one stays published until every token it signed has"
              + " expired. Needs a service token with scope signing-keys:rotate.")
  @APIResponse(responseCode = "200", description = "The new key id")
  @APIResponse(responseCode = "403", description = "The token lacks signing-keys:rotate")
  public Uni<Rotated> rotate() {
    return keys.rotate().map(key -> new Rotated(key.kid(), key.activatesAt()));
  }
}
