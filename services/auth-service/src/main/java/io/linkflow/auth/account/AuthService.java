package io.linkflow.auth.account;

import io.linkflow.auth.session.AccessTokenIssuer;
import io.linkflow.auth.session.RefreshToken;
import io.linkflow.auth.session.RefreshTokenRepository;
import io.linkflow.auth.session.TokenResponse;
import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.events.EventTypes;
import io.linkflow.events.outbox.Outbox;
import io.linkflow.events.payload.AuditRecordedV1;
import io.linkflow.events.payload.SessionEventV1;
import io.linkflow.events.payload.SignedUpV1;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sign-up, log-in, refresh and log-out. Every state change and the events announcing it
 * (auth.events, audit.log) are written in one transaction, so an error writes nothing.
 */
@ApplicationScoped
public class AuthService {

  /** A pragmatic address check: something@domain.tld, no spaces, at most 254 characters. */
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");

  private static final Set<String> OWNER = Set.of("owner");

  private final Pool pool;
  private final AccountRepository accounts;
  private final RefreshTokenRepository refreshTokens;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final AccessTokenIssuer issuer;
  private final Outbox outbox;
  private final Duration refreshTtl;

  public AuthService(
      Pool pool,
      AccountRepository accounts,
      RefreshTokenRepository refreshTokens,
      PasswordHasher hasher,
      LoginThrottle throttle,
      AccessTokenIssuer issuer,
      Outbox outbox,
      @ConfigProperty(name = "linkflow.auth.refresh-token-ttl", defaultValue = "30d")
          Duration refreshTtl) {
    this.pool = pool;
    this.accounts = accounts;
    this.refreshTokens = refreshTokens;
    this.hasher = hasher;
    this.throttle = throttle;
    this.issuer = issuer;
    this.outbox = outbox;
    this.refreshTtl = refreshTtl;
  }

  /** Creates an account and its personal workspace id, and starts a session. */
  public Uni<TokenResponse> signUp(String email, String password) {
    validateEmail(email);
    List<String> unmet = PasswordPolicy.unmetRules(password, email);
    if (!unmet.isEmpty()) {
      throw new ProblemException(
          Problem.of(400, "The password does not meet the rules: " + String.join("; ", unmet) + ".")
              .withErrors(
                  unmet.stream().map(rule -> new Problem.FieldError("/password", rule)).toList()));
    }
    UUID accountId = UUID.randomUUID();
    UUID workspaceId = UUID.randomUUID();
    String trimmed = email.trim();
    return hasher
        .hash(password)
        .flatMap(
            hash ->
                pool.withTransaction(
                    tx ->
                        accounts
                            .insert(tx, new Account(accountId, trimmed, hash, workspaceId))
                            .flatMap(
                                ignored ->
                                    outbox.append(
                                        tx,
                                        EventTypes.SIGNED_UP_V1,
                                        accountId.toString(),
                                        workspaceId.toString(),
                                        new SignedUpV1(accountId, trimmed, workspaceId)))
                            .flatMap(ignored -> startSession(tx, accountId, workspaceId))))
        .onFailure(AuthService::isUniqueViolation)
        .transform(
            e ->
                new ProblemException(
                    Problem.of(409, "An account with this e-mail address already exists.")));
  }

  /**
   * Checks the password and starts a session in the personal workspace; too many failures for the
   * account or from {@code clientIp} answer 429 (see {@link LoginThrottle}).
   */
  public Uni<TokenResponse> logIn(String email, String password, String clientIp) {
    if (email == null || password == null) {
      throw new ProblemException(400, "email and password are required.");
    }
    return throttle
        .check(email, clientIp)
        .flatMap(ignored -> accounts.findByEmail(email))
        .flatMap(
            found ->
                hasher
                    .verify(password, found.map(Account::passwordHash).orElse(null))
                    .flatMap(
                        valid -> {
                          if (!valid) {
                            return throttle
                                .recordFailure(email, clientIp)
                                .flatMap(
                                    ignored ->
                                        recordFailedLogin(
                                            email, found.map(Account::id).orElse(null)))
                                .map(
                                    ignored -> {
                                      throw new ProblemException(
                                          401, "The e-mail address or the password is wrong.");
                                    });
                          }
                          Account account = found.orElseThrow();
                          return pool.withTransaction(
                                  tx ->
                                      audit(tx, "user.login", account.id(), "success", Map.of())
                                          .flatMap(
                                              ignored ->
                                                  startSession(
                                                      tx,
                                                      account.id(),
                                                      account.personalWorkspaceId())))
                              .call(() -> throttle.recordSuccess(email));
                        }));
  }

  /**
   * Exchanges a refresh token for a new pair. A token used twice means it was stolen: the whole
   * session is revoked (committed) and the request fails.
   */
  public Uni<TokenResponse> refresh(String secret) {
    requireRefreshToken(secret);
    return pool.withTransaction(
            tx ->
                liveToken(tx, secret)
                    .flatMap(
                        found -> {
                          if (found.isEmpty()) {
                            return Uni.createFrom().item(RefreshOutcome.invalid());
                          }
                          RefreshToken token = found.get();
                          if (token.usedAt() != null) {
                            return revoke(tx, token, "refresh_token_reuse")
                                .replaceWith(RefreshOutcome.invalid());
                          }
                          if (token.expiresAt().isBefore(Instant.now())) {
                            return Uni.createFrom().item(RefreshOutcome.invalid());
                          }
                          return refreshTokens
                              .markUsed(tx, token.id())
                              .flatMap(
                                  ignored ->
                                      issue(
                                          tx,
                                          token.accountId(),
                                          token.workspaceId(),
                                          token.familyId()))
                              .map(RefreshOutcome::of);
                        }))
        .map(
            outcome -> {
              if (outcome.tokens() == null) {
                throw new ProblemException(401, "The refresh token is not valid.");
              }
              return outcome.tokens();
            });
  }

  /** Ends the session of {@code secret}; unknown or already-ended sessions are fine (204). */
  public Uni<Void> logOut(String secret) {
    requireRefreshToken(secret);
    return pool.withTransaction(
        tx ->
            liveToken(tx, secret)
                .flatMap(
                    found ->
                        found.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : revoke(tx, found.get(), "logout")));
  }

  /** The token with this secret unless its session was revoked, locked for the transaction. */
  private Uni<Optional<RefreshToken>> liveToken(SqlClient tx, String secret) {
    return refreshTokens
        .lockBySecret(tx, secret)
        .map(found -> found.filter(token -> token.revokedAt() == null));
  }

  private static void requireRefreshToken(String secret) {
    if (secret == null || secret.isBlank()) {
      throw new ProblemException(
          Problem.of(400, "refreshToken is required.")
              .withErrors(List.of(new Problem.FieldError("/refreshToken", "required"))));
    }
  }

  private record RefreshOutcome(TokenResponse tokens) {
    static RefreshOutcome invalid() {
      return new RefreshOutcome(null);
    }

    static RefreshOutcome of(TokenResponse tokens) {
      return new RefreshOutcome(tokens);
    }
  }

  private Uni<TokenResponse> startSession(SqlClient tx, UUID accountId, UUID workspaceId) {
    UUID sessionId = UUID.randomUUID();
    return outbox
        .append(
            tx,
            EventTypes.LOGGED_IN_V1,
            accountId.toString(),
            workspaceId.toString(),
            new SessionEventV1(accountId, sessionId, workspaceId, null))
        .flatMap(ignored -> issue(tx, accountId, workspaceId, sessionId));
  }

  private Uni<TokenResponse> issue(SqlClient tx, UUID accountId, UUID workspaceId, UUID sessionId) {
    String secret = RefreshToken.newSecret();
    return refreshTokens
        .insert(tx, sessionId, accountId, workspaceId, secret, Instant.now().plus(refreshTtl))
        .flatMap(ignored -> issuer.issue(accountId, workspaceId, sessionId, OWNER))
        .map(
            jwt ->
                new TokenResponse(
                    jwt, "Bearer", issuer.ttl().toSeconds(), secret, accountId, workspaceId));
  }

  private Uni<Void> revoke(SqlClient tx, RefreshToken token, String reason) {
    boolean theft = !"logout".equals(reason);
    return refreshTokens
        .revokeFamily(tx, token.familyId(), reason)
        .flatMap(
            ignored ->
                outbox.append(
                    tx,
                    theft ? EventTypes.TOKEN_REVOKED_V1 : EventTypes.LOGGED_OUT_V1,
                    token.accountId().toString(),
                    token.workspaceId().toString(),
                    new SessionEventV1(
                        token.accountId(), token.familyId(), token.workspaceId(), reason)))
        .flatMap(
            ignored ->
                theft
                    ? audit(
                        tx,
                        "session.revoked",
                        token.accountId(),
                        "failure",
                        Map.of("reason", reason, "sessionId", token.familyId().toString()))
                    : Uni.createFrom().voidItem());
  }

  private Uni<Void> recordFailedLogin(String email, UUID accountId) {
    return pool.withTransaction(
        tx ->
            audit(
                tx,
                "user.login",
                accountId,
                "failure",
                Map.of("email", AccountRepository.normalize(email))));
  }

  private Uni<Void> audit(
      SqlClient tx, String action, UUID accountId, String outcome, Map<String, String> details) {
    String actor = accountId == null ? "unknown" : accountId.toString();
    return outbox
        .append(
            tx,
            EventTypes.AUDIT_RECORDED_V1,
            actor,
            null,
            new AuditRecordedV1(action, actor, "user", "account", actor, outcome, details))
        .replaceWithVoid();
  }

  private static void validateEmail(String email) {
    if (email == null || email.trim().length() > 254 || !EMAIL.matcher(email.trim()).matches()) {
      throw new ProblemException(
          Problem.of(400, "The e-mail address is not valid.")
              .withErrors(List.of(new Problem.FieldError("/email", "not a valid e-mail address"))));
    }
  }

  private static boolean isUniqueViolation(Throwable e) {
    return e instanceof PgException pg && "23505".equals(pg.getSqlState());
  }
}
