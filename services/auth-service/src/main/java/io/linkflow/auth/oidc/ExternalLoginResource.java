package io.linkflow.auth.oidc;

import io.linkflow.auth.session.ClientInfo;
import io.linkflow.auth.session.TokenResponse;
import io.linkflow.common.error.ProblemException;
import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.oidc.OidcSession;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Log-in with an external OpenID Connect provider under {@code /api/v1/auth/oidc}.
 *
 * <p>Authentication is not this class' business: when external log-in is enabled, the {@code
 * external-login} HTTP permission (application.properties) demands an authenticated caller on these
 * paths, and the {@value ExternalLoginConfig#TENANT} quarkus-oidc tenant (authorization code flow
 * with PKCE) redirects an unauthenticated browser to the provider and, on the callback, exchanges
 * the code and verifies the ID token. The methods are {@code @PermitAll} so that, with external
 * log-in disabled, they are reached without credentials and answer 404.
 *
 * <p>After the code exchange quarkus-oidc redirects to the callback path once more, without code
 * and state, with its session cookie; that request gets LinkFlow's token pair. The provider's
 * session is not LinkFlow's: the session cookie is removed in that same response, whatever its
 * outcome.
 */
@Path("/api/v1/auth/oidc")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "auth", description = "Accounts and sessions")
public class ExternalLoginResource {

  private final ExternalLoginConfig config;
  private final ExternalLoginService logins;
  private final CurrentIdentityAssociation identities;
  private final OidcSession oidcSession;

  public ExternalLoginResource(
      ExternalLoginConfig config,
      ExternalLoginService logins,
      CurrentIdentityAssociation identities,
      OidcSession oidcSession) {
    this.config = config;
    this.logins = logins;
    this.identities = identities;
    this.oidcSession = oidcSession;
  }

  @GET
  @Path("/login")
  @Operation(
      summary = "Log in with the external OpenID Connect provider",
      description =
          "Open in the browser: redirects to the provider (authorization code with PKCE); the"
              + " provider redirects back to /api/v1/auth/oidc/callback, which answers the token"
              + " pair.")
  @APIResponse(responseCode = "302", description = "To the provider's authorization endpoint")
  @APIResponse(responseCode = "404", description = "External log-in is not configured")
  public Uni<TokenResponse> logIn(HttpServerRequest request) {
    return logInWithProvider(request);
  }

  @GET
  @Path("/callback")
  @Operation(
      summary = "Where the provider sends the browser back (redirect URI)",
      description =
          "quarkus-oidc exchanges the code (with the PKCE verifier) and verifies the ID token;"
              + " the person is then logged in, linked by verified e-mail or signed up.")
  @APIResponse(responseCode = "200", description = "A token pair, as from /api/v1/auth/login")
  @APIResponse(
      responseCode = "401",
      description = "The code exchange or the ID token failed verification")
  @APIResponse(
      responseCode = "403",
      description = "The provider did not share a verified e-mail address; nothing is written")
  @APIResponse(responseCode = "404", description = "External log-in is not configured")
  @APIResponse(
      responseCode = "409",
      description =
          "The account with this e-mail address is linked to another identity at the provider")
  public Uni<TokenResponse> callback(HttpServerRequest request) {
    return logInWithProvider(request);
  }

  private Uni<TokenResponse> logInWithProvider(HttpServerRequest request) {
    if (!config.enabled()) {
      throw new ProblemException(404, "External log-in (OpenID Connect) is not configured.");
    }
    ClientInfo client = client(request);
    return identities
        .getDeferredIdentity()
        .flatMap(identity -> logins.logIn(externalIdentity(identity), client))
        // Whatever the outcome, the provider's session must not outlive this response.
        .onTermination()
        .call(() -> Uni.createFrom().deferred(oidcSession::logout).onFailure().recoverWithNull());
  }

  /** The ID token of the external tenant's code flow; anything else is refused. */
  private static ExternalIdentity externalIdentity(SecurityIdentity identity) {
    if (identity == null
        || identity.isAnonymous()
        || !ExternalLoginConfig.TENANT.equals(identity.getAttribute("tenant-id"))
        || identity.getCredential(IdTokenCredential.class) == null
        || !(identity.getPrincipal() instanceof JsonWebToken idToken)) {
      throw new ProblemException(401, "Log in at the identity provider first.");
    }
    return ExternalIdentity.of(idToken);
  }

  /** Same as {@code AuthResource.client}: the client address and User-Agent. */
  private static ClientInfo client(HttpServerRequest request) {
    return new ClientInfo(
        request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
        request.getHeader("User-Agent"));
  }
}
