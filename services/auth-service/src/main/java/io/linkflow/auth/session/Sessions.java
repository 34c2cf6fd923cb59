package io.linkflow.auth.session;

import io.linkflow.auth.audit.AuditTrail;
import io.linkflow.auth.membership.MembershipRepository;
import io.linkflow.common.error.ProblemException;
import io.linkflow.events.EventTypes;
import io.linkflow.events.outbox.Outbox;
import io.linkflow.events.payload.SessionEventV1;
import io.linkflow.security.crypto.Secrets;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sessions: a session is a family of rotating refresh tokens for one account and one workspace. It
 * starts at log-in (or a workspace switch), continues with each refresh and ends at log-out, on
 * revocation, on refresh-token reuse, or when the member leaves the workspace. Every method runs in
 * the caller's transaction and announces what it did on auth.events.
 */
@ApplicationScoped
public class Sessions {

  private final RefreshTokenRepository tokens;
  private final MembershipRepository memberships;
  private final AccessTokenIssuer issuer;
  private final Outbox outbox;
  private final AuditTrail audit;
  private final Duration refreshTtl;

  public Sessions(
      RefreshTokenRepository tokens,
      MembershipRepository memberships,
      AccessTokenIssuer issuer,
      Outbox outbox,
      AuditTrail audit,
      @ConfigProperty(name = "linkflow.auth.refresh-token-ttl", defaultValue = "30d")
          Duration refreshTtl) {
    this.tokens = tokens;
    this.memberships = memberships;
    this.issuer = issuer;
    this.outbox = outbox;
    this.audit = audit;
    this.refreshTtl = refreshTtl;
  }

  /**
   * Starts a session in {@code workspaceId}; 404 when the account is not a member there (so a
   * workspace's existence does not leak).
   */
  public Uni<TokenResponse> start(
      SqlClient tx, UUID accountId, UUID workspaceId, ClientInfo client) {
    UUID sessionId = UUID.randomUUID();
    return requireRole(tx, accountId, workspaceId)
        .call(
            role ->
                outbox.append(
                    tx,
                    EventTypes.LOGGED_IN_V1,
                    accountId.toString(),
                    workspaceId.toString(),
                    new SessionEventV1(accountId, sessionId, workspaceId, null)))
        .flatMap(role -> issue(tx, accountId, workspaceId, sessionId, role, null, client));
  }

  /** Issues the successor of {@code used} in its session, for {@code workspaceId}. */
  public Uni<TokenResponse> rotate(SqlClient tx, RefreshToken used, UUID workspaceId) {
    return requireRole(tx, used.accountId(), workspaceId)
        .call(ignored -> tokens.markUsed(tx, used.id()))
        .flatMap(
            role ->
                issue(
                    tx,
                    used.accountId(),
                    workspaceId,
                    used.familyId(),
                    role,
                    used.startedAt(),
                    used.client()));
  }

  /**
   * Ends the session of {@code token}. {@code logout} and {@code revoked_by_user} are ordinary ends
   * (auth.logged_out); anything else (reuse, membership ended) is a revocation (auth.token_revoked,
   * audited).
   */
  public Uni<Void> end(
      SqlClient tx, UUID accountId, UUID sessionId, UUID workspaceId, String reason) {
    boolean ordinary = "logout".equals(reason) || "revoked_by_user".equals(reason);
    return tokens
        .revokeFamily(tx, sessionId, reason)
        .call(
            ignored ->
                outbox.append(
                    tx,
                    ordinary ? EventTypes.LOGGED_OUT_V1 : EventTypes.TOKEN_REVOKED_V1,
                    accountId.toString(),
                    workspaceId.toString(),
                    new SessionEventV1(accountId, sessionId, workspaceId, reason)))
        .call(
            ignored ->
                ordinary
                    ? Uni.createFrom().voidItem()
                    : audit.record(
                        tx,
                        "session.revoked",
                        accountId,
                        workspaceId,
                        "failure",
                        Map.of("reason", reason, "sessionId", sessionId.toString())))
        .replaceWithVoid();
  }

  /** Ends every session of the account in the workspace (the member left or was removed). */
  public Uni<Void> endAllIn(SqlClient tx, UUID accountId, UUID workspaceId, String reason) {
    return tokens
        .liveSessions(tx, accountId, workspaceId)
        .flatMap(
            sessions -> {
              Uni<Void> chain = Uni.createFrom().voidItem();
              for (RefreshTokenRepository.SessionRow session : sessions) {
                chain = chain.call(() -> end(tx, accountId, session.id(), workspaceId, reason));
              }
              return chain;
            });
  }

  public Uni<List<RefreshTokenRepository.SessionRow>> list(SqlClient tx, UUID accountId) {
    return tokens.liveSessions(tx, accountId, null);
  }

  private Uni<String> requireRole(SqlClient tx, UUID accountId, UUID workspaceId) {
    return memberships
        .role(tx, accountId, workspaceId)
        .map(
            role ->
                role.orElseThrow(
                    () -> new ProblemException(404, "No such workspace among yours.")));
  }

  private Uni<TokenResponse> issue(
      SqlClient tx,
      UUID accountId,
      UUID workspaceId,
      UUID sessionId,
      String role,
      Instant startedAt,
      ClientInfo client) {
    String secret = Secrets.newSecret();
    return tokens
        .insert(
            tx,
            sessionId,
            accountId,
            workspaceId,
            secret,
            Instant.now().plus(refreshTtl),
            startedAt,
            client)
        .flatMap(ignored -> issuer.issue(accountId, workspaceId, sessionId, Set.of(role)))
        .map(
            jwt ->
                new TokenResponse(
                    jwt, "Bearer", issuer.ttl().toSeconds(), secret, accountId, workspaceId));
  }
}
