package io.linkflow.common.error;

import io.linkflow.common.http.RequestIds;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.AuthenticationRedirectException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Problem documents for what never reaches a JAX-RS resource: a path no route matches (404),
 * failures raised by the HTTP layer itself, such as a body over the size limit (413), and
 * authentication outcomes of the security layer (redirects, 401, 403).
 */
@ApplicationScoped
public class ProblemRoutes {

  private static final Logger LOG = Logger.getLogger(ProblemRoutes.class);

  private final long maxBodyBytes;

  public ProblemRoutes(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M")
          MemorySize maxBodySize) {
    this.maxBodyBytes = maxBodySize.asLongValue();
  }

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
    router.route().order(Integer.MIN_VALUE + 2).handler(this::refuseOversizedBody);
    router
        .route()
        .order(Integer.MAX_VALUE)
        .handler(
            ctx -> write(ctx, Problem.of(404, "No resource at " + ctx.request().path() + ".")));
  }

  /**
   * A body announced larger than the limit is refused before it is read. (A chunked body that grows
   * past the limit is cut off by the HTTP layer with a bare 413.)
   */
  private void refuseOversizedBody(RoutingContext ctx) {
    String length = ctx.request().getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBodyBytes) {
          ctx.response().putHeader("Connection", "close");
          write(
              ctx,
              Problem.of(
                  413, "The request body is larger than the " + maxBodyBytes + " bytes accepted."));
          return;
        }
      } catch (NumberFormatException e) {
        write(ctx, Problem.of(400, "Content-Length is not a number."));
        return;
      }
    }
    ctx.next();
  }

  private void failure(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.next();
      return;
    }
    if (securityFailure(ctx)) {
      return;
    }
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    if (status >= 500) {
      LOG.errorf(
          ctx.failure(), "Request failed: %s %s", ctx.request().method(), ctx.request().path());
    }
    String detail =
        switch (status) {
          case 413 -> "The request body is larger than this service accepts.";
          case 400 -> "The request could not be read.";
          default -> "The request could not be completed.";
        };
    write(ctx, Problem.of(status, detail));
  }

  /**
   * Authentication outcomes the HTTP layer reports as failures (quarkus-oidc's code flow, HTTP
   * permission checks): a redirect is sent as the redirect it is; a refused credential is a 401
   * problem, a refused permission a 403. The reason stays in the security layer's own log.
   */
  private static boolean securityFailure(RoutingContext ctx) {
    for (Throwable t = ctx.failure(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AuthenticationRedirectException redirect) {
        ctx.response()
            .setStatusCode(redirect.getCode())
            .putHeader("Location", redirect.getRedirectUri())
            .putHeader("Cache-Control", "no-store")
            .end();
        return true;
      }
      if (t instanceof AuthenticationException || t instanceof UnauthorizedException) {
        ctx.response()
            .putHeader("WWW-Authenticate", "Bearer realm=\"linkflow\"")
            .putHeader("Cache-Control", "no-store");
        write(ctx, Problem.of(401, "Authentication did not succeed."));
        return true;
      }
      if (t instanceof ForbiddenException) {
        write(ctx, Problem.of(403, "You are not allowed to do this."));
        return true;
      }
    }
    return false;
  }

  static void write(RoutingContext ctx, Problem problem) {
    String requestId = ctx.get(RequestIds.MDC_KEY);
    Problem body = problem.withInstance(ctx.request().path(), requestId);
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", Problem.MEDIA_TYPE)
        .end(Json.encode(body));
  }
}
