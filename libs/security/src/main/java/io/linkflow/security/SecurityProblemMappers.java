package io.linkflow.security;

import io.linkflow.common.error.ProblemException;
import io.linkflow.common.error.ProblemExceptionMappers;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Security failures as problem+json: 401 with {@code WWW-Authenticate} for a missing or invalid
 * credential, 403 when the caller's role or scopes are insufficient. The detail never says why a
 * token was refused (expired, wrong signature, …); that goes to the debug log of quarkus-oidc.
 */
public class SecurityProblemMappers {

  private final ProblemExceptionMappers problems = new ProblemExceptionMappers();

  @ServerExceptionMapper
  public Response unauthenticated(UnauthorizedException e, HttpServerRequest request) {
    return problems.problem(
        new ProblemException(
                401, "Authentication is required: send a bearer access token or an X-API-Key.")
            .withHeader("WWW-Authenticate", "Bearer realm=\"linkflow\""),
        request);
  }

  @ServerExceptionMapper
  public Response invalidCredential(AuthenticationFailedException e, HttpServerRequest request) {
    return problems.problem(
        new ProblemException(401, "The access token or API key is missing, expired or not valid.")
            .withHeader("WWW-Authenticate", "Bearer realm=\"linkflow\", error=\"invalid_token\""),
        request);
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, HttpServerRequest request) {
    return problems.problem(
        new ProblemException(
            403, "Your role or the token's scopes do not allow this operation in this workspace."),
        request);
  }
}
