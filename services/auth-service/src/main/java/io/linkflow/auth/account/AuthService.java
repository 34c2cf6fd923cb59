package io.linkflow.auth.account;

import io.linkflow.auth.audit.AuditTrail;
import io.linkflow.auth.membership.MembershipRepository;
import io.linkflow.auth.session.ClientInfo;
import io.linkflow.auth.session.RefreshToken;
import io.linkflow.auth.session.RefreshTokenRepository;
import io.linkflow.auth.session.Sessions;
import io.linkflow.auth.session.TokenResponse;
import io.linkflow.common.db.PgErrors;
import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.events.EventTypes;
import io.linkflow.events.outbox.Outbox;
import io.linkflow.events.payload.EmailVerifiedV1;
import io.linkflow.events.payload.SignedUpV1;
import io.linkflow.security.Roles;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Sign-up, log-in, refresh (optionally into another workspace) and log-out. Every state change and
 * the events announcing it (auth.events, audit.log) are written in one transaction, so an error
 * writes nothing.
 */
@ApplicationScoped
public class AuthService {

  /** A pragmatic address check: something@domain.tld, no spaces, at most 254 characters. */
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");

  private final Pool pool;
  private final AccountRepository accounts;
  private final RefreshTokenRepository refreshTokens;
  private final MembershipRepository memberships;
  private final Sessions sessions;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final Outbox outbox;
  private final AuditTrail audit;

  public AuthService(
      Pool pool,
      AccountRepository accounts,
      RefreshTokenRepository refreshTokens,
      MembershipRepository memberships,
      Sessions sessions,
      PasswordHasher hasher,
      LoginThrottle throttle,
      Outbox outbox,
      AuditTrail audit) {
    this.pool = pool;
    this.accounts = accounts;
    this.refreshTokens = refreshTokens;
    this.memberships = memberships;
    this.sessions = sessions;
    this.hasher = hasher;
    this.throttle = throttle;
    this.outbox = outbox;
    this.audit = audit;
  }

  /** Creates an account and its personal workspace id, and starts a session there. */
  public Uni<TokenResponse> signUp(String email, String password, ClientInfo client) {
    validateEmail(email);
    List<String> unmet = PasswordPolicy.unmetRules(password, email);
    if (!unmet.isEmpty()) {
      throw new ProblemException(
          Problem.of(400, "The password does not meet the rules: " + String.join("; ", unmet) + ".")
              .withErrors(
                  unmet.stream().map(rule -> new Problem.FieldError("/password", rule)).toList()));
    }
    String trimmed = email.trim();
    return hasher
        .hash(password)
        .flatMap(hash -> pool.withTransaction(tx -> createAccount(tx, trimmed, hash, client)));
  }

  /**
   * Creates an account (with a password hash, or none for one that only logs in through an external
   * provider), its personal workspace and owner membership, announces the sign-up and starts a
   * session. 409 when the e-mail address is taken.
   */
  public Uni<TokenResponse> createAccount(
      SqlClient tx, String email, String passwordHash, ClientInfo client) {
    UUID accountId = UUID.randomUUID();
    UUID workspaceId = UUID.randomUUID();
    return accounts
        .insert(tx, new Account(accountId, email, passwordHash, workspaceId))
        .onFailure(PgErrors::uniqueViolation)
        .transform(
            e ->
                new ProblemException(
                    Problem.of(409, "An account with this e-mail address already exists.")))
        .call(() -> memberships.upsert(tx, accountId, workspaceId, Roles.OWNER))
        .call(
            () ->
                outbox.append(
                    tx,
                    EventTypes.SIGNED_UP_V1,
                    accountId.toString(),
                    workspaceId.toString(),
                    new SignedUpV1(accountId, email, workspaceId)))
        .flatMap(ignored -> sessions.start(tx, accountId, workspaceId, client));
  }

  /**
   * Records that the account's e-mail address is verified ({@code method}, e.g. {@code oidc}) and
   * announces it once as auth.email_verified, in the caller's transaction.
   */
  public Uni<Void> verifyEmail(SqlClient tx, UUID accountId, String email, String method) {
    return accounts
        .markEmailVerified(tx, accountId)
        .flatMap(
            first ->
                first
                    ? outbox
                        .append(
                            tx,
                            EventTypes.EMAIL_VERIFIED_V1,
                            accountId.toString(),
                            null,
                            new EmailVerifiedV1(accountId, email, method))
                        .replaceWithVoid()
                    : Uni.createFrom().voidItem());
  }

  /**
   * Checks the password and starts a session in the personal workspace; too many failures for the
   * account or from the client's address answer 429 (see {@link LoginThrottle}).
   */
  public Uni<TokenResponse> logIn(String email, String password, ClientInfo client) {
    if (email == null || password == null) {
      throw new ProblemException(400, "email and password are required.");
    }
    return throttle
        .check(email, client.ip())
        .flatMap(ignored -> accounts.findByEmail(email))
        .flatMap(
            found ->
                hasher
                    .verify(password, found.map(Account::passwordHash).orElse(null))
                    .flatMap(
                        valid -> {
                          if (!valid) {
                            return throttle
                                .recordFailure(email, client.ip())
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
                          return logInAs(found.orElseThrow(), "password", client)
                              .call(() -> throttle.recordSuccess(email));
                        }));
  }

  /**
   * Starts a session for an account whose identity was proven another way ({@code method}, e.g.
   * {@code oidc}), in its personal workspace, audited as a log-in.
   */
  public Uni<TokenResponse> logInAs(Account account, String method, ClientInfo client) {
    return pool.withTransaction(tx -> logInAs(tx, account, method, client));
  }

  /** {@link #logInAs(Account, String, ClientInfo)} in the caller's transaction. */
  public Uni<TokenResponse> logInAs(
      SqlClient tx, Account account, String method, ClientInfo client) {
    return audit
        .record(
            tx,
            "user.login",
            account.id(),
            account.personalWorkspaceId(),
            "success",
            Map.of("method", method))
        .flatMap(
            ignored -> sessions.start(tx, account.id(), account.personalWorkspaceId(), client));
  }

  /**
   * Exchanges a refresh token for a new pair, for the same workspace or, with {@code workspaceId},
   * for another workspace the account belongs to (404 otherwise, and the token stays usable). A
   * token used twice means it was stolen: the whole session is revoked (committed) and the request
   * fails. A session whose member left the workspace is ended.
   */
  public Uni<TokenResponse> refresh(String secret, UUID workspaceId) {
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
                            return end(tx, token, "refresh_token_reuse")
                                .replaceWith(RefreshOutcome.invalid());
                          }
                          if (token.expiresAt().isBefore(Instant.now())) {
                            return Uni.createFrom().item(RefreshOutcome.invalid());
                          }
                          return memberships
                              .role(tx, token.accountId(), token.workspaceId())
                              .flatMap(
                                  role -> {
                                    if (role.isEmpty()) {
                                      return end(tx, token, "membership_ended")
                                          .replaceWith(RefreshOutcome.invalid());
                                    }
                                    UUID target =
                                        workspaceId == null ? token.workspaceId() : workspaceId;
                                    return sessions
                                        .rotate(tx, token, target)
                                        .map(RefreshOutcome::of);
                                  });
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
                            : end(tx, found.get(), "logout")));
  }

  private Uni<Void> end(SqlClient tx, RefreshToken token, String reason) {
    return sessions.end(tx, token.accountId(), token.familyId(), token.workspaceId(), reason);
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

  private Uni<Void> recordFailedLogin(String email, UUID accountId) {
    return pool.withTransaction(
        tx ->
            audit.record(
                tx,
                "user.login",
                accountId,
                null,
                "failure",
                Map.of("email", AccountRepository.normalize(email))));
  }

  private static void validateEmail(String email) {
    if (email == null || email.trim().length() > 254 || !EMAIL.matcher(email.trim()).matches()) {
      throw new ProblemException(
          Problem.of(400, "The e-mail address is not valid.")
              .withErrors(List.of(new Problem.FieldError("/email", "not a valid e-mail address"))));
    }
  }
}
