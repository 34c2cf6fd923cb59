package io.linkflow.auth.rest;

import io.linkflow.auth.account.AuthService;
import io.linkflow.auth.session.ClientInfo;
import io.linkflow.auth.session.TokenResponse;
import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sign-up, log-in, refresh and log-out under {@code /api/v1/auth}. */
@Path("/api/v1/auth")
@PermitAll
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "auth", description = "Accounts and sessions")
public class AuthResource {

  /** Sign-up and log-in body. */
  public record Credentials(String email, String password) {}

  /**
   * Refresh and log-out body; {@code workspaceId} (refresh only) switches the session to another
   * workspace the account belongs to.
   */
  public record RefreshRequest(String refreshToken, UUID workspaceId) {}

  private final AuthService auth;

  public AuthResource(AuthService auth) {
    this.auth = auth;
  }

  @POST
  @Path("/signup")
  @Operation(summary = "Create an account (and its personal workspace) and log in")
  @APIResponse(responseCode = "201", description = "Account created; a token pair")
  @APIResponse(responseCode = "400", description = "Malformed e-mail, or the password rules unmet")
  @APIResponse(responseCode = "409", description = "The e-mail address is taken")
  public Uni<Response> signUp(Credentials body, HttpServerRequest request) {
    Credentials credentials = ProblemException.requireBody(body);
    return auth.signUp(credentials.email(), credentials.password(), client(request))
        .map(tokens -> Response.status(201).entity(tokens).build());
  }

  @POST
  @Path("/login")
  @Operation(summary = "Log in with e-mail and password")
  @APIResponse(responseCode = "200", description = "A token pair")
  @APIResponse(responseCode = "401", description = "Wrong e-mail or password")
  @APIResponse(
      responseCode = "429",
      description =
          "Too many failed attempts for the account or from this address; see Retry-After")
  public Uni<TokenResponse> logIn(Credentials body, HttpServerRequest request) {
    Credentials credentials = ProblemException.requireBody(body);
    return auth.logIn(credentials.email(), credentials.password(), client(request));
  }

  @POST
  @Path("/refresh")
  @Operation(
      summary = "Exchange a refresh token for a new pair (single use; reuse revokes the session)")
  @APIResponse(responseCode = "200", description = "A new token pair")
  @APIResponse(responseCode = "401", description = "Unknown, expired, revoked or reused token")
  @APIResponse(
      responseCode = "404",
      description = "workspaceId is not a workspace of this account (the token stays usable)")
  public Uni<TokenResponse> refresh(RefreshRequest body) {
    RefreshRequest refresh = ProblemException.requireBody(body);
    return auth.refresh(refresh.refreshToken(), refresh.workspaceId());
  }

  @POST
  @Path("/switch-workspace")
  @Operation(
      summary = "Switch the session to another workspace",
      description =
          "Like refresh, but workspaceId is required: the new pair's access token is for that"
              + " workspace, with the account's role there.")
  @APIResponse(responseCode = "200", description = "A token pair for the chosen workspace")
  @APIResponse(responseCode = "400", description = "refreshToken or workspaceId missing")
  @APIResponse(responseCode = "401", description = "Unknown, expired, revoked or reused token")
  @APIResponse(responseCode = "404", description = "Not a workspace of this account")
  public Uni<TokenResponse> switchWorkspace(RefreshRequest body) {
    RefreshRequest refresh = ProblemException.requireBody(body);
    if (refresh.workspaceId() == null) {
      throw new ProblemException(
          Problem.of(400, "workspaceId is required.")
              .withErrors(List.of(new Problem.FieldError("/workspaceId", "required"))));
    }
    return auth.refresh(refresh.refreshToken(), refresh.workspaceId());
  }

  @POST
  @Path("/logout")
  @Operation(summary = "End the session of a refresh token")
  @APIResponse(responseCode = "204", description = "The session is ended")
  public Uni<Response> logOut(RefreshRequest body) {
    return auth.logOut(ProblemException.requireBody(body).refreshToken())
        .map(ignored -> Response.noContent().build());
  }

  static ClientInfo client(HttpServerRequest request) {
    return new ClientInfo(
        request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
        request.getHeader("User-Agent"));
  }
}
