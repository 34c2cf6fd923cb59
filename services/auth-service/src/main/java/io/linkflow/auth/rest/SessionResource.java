package io.linkflow.auth.rest;

import io.linkflow.auth.session.ClientInfo;
import io.linkflow.auth.session.RefreshTokenRepository.SessionRow;
import io.linkflow.auth.session.Sessions;
import io.linkflow.common.error.ProblemException;
import io.linkflow.common.tenancy.TenantContext;
import io.linkflow.security.Scopes;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A person's own sessions: where they are logged in, and ending any of them. Needs a person's token
 * (scope {@code api}), not an API key or a service token.
 */
@Path("/api/v1/auth/sessions")
@PermissionsAllowed(Scopes.API)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "auth", description = "Accounts and sessions")
public class SessionResource {

  /** One session as its owner sees it. */
  public record SessionView(
      UUID id,
      UUID workspaceId,
      Instant startedAt,
      Instant lastRefreshedAt,
      Instant expiresAt,
      String ip,
      String userAgent,
      boolean current) {}

  /** The list. */
  public record SessionList(List<SessionView> items) {}

  private final Pool pool;
  private final Sessions sessions;
  private final TenantContext tenant;
  private final JsonWebToken token;

  public SessionResource(Pool pool, Sessions sessions, TenantContext tenant, JsonWebToken token) {
    this.pool = pool;
    this.sessions = sessions;
    this.tenant = tenant;
    this.token = token;
  }

  @GET
  @Operation(summary = "List your live sessions, in every workspace")
  @APIResponse(responseCode = "200", description = "Newest first; current marks this token's")
  @APIResponse(responseCode = "401", description = "No valid access token of a person")
  public Uni<SessionList> list() {
    UUID account = tenant.requireUser();
    String current = token.getClaim("sid");
    return pool.withConnection(connection -> sessions.list(connection, account))
        .map(rows -> new SessionList(rows.stream().map(row -> view(row, current)).toList()));
  }

  @DELETE
  @Path("/{id}")
  @Operation(summary = "End one of your sessions (its refresh token stops working at once)")
  @APIResponse(responseCode = "204", description = "Ended")
  @APIResponse(responseCode = "404", description = "No live session of yours with this id")
  public Uni<Response> revoke(@PathParam("id") UUID id) {
    UUID account = tenant.requireUser();
    return pool.withTransaction(
            tx ->
                sessions
                    .list(tx, account)
                    .flatMap(
                        rows -> {
                          SessionRow session =
                              rows.stream()
                                  .filter(row -> row.id().equals(id))
                                  .findFirst()
                                  .orElseThrow(() -> new ProblemException(404, "No such session."));
                          return sessions.end(
                              tx, account, session.id(), session.workspaceId(), "revoked_by_user");
                        }))
        .map(ignored -> Response.noContent().build());
  }

  private static SessionView view(SessionRow row, String currentSessionId) {
    ClientInfo client = row.client();
    return new SessionView(
        row.id(),
        row.workspaceId(),
        row.startedAt(),
        row.lastRefreshedAt(),
        row.expiresAt(),
        client.ip(),
        client.userAgent(),
        row.id().toString().equals(currentSessionId));
  }
}
