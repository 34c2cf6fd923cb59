package io.linkflow.auth.oidc;

import io.linkflow.auth.account.Account;
import io.linkflow.auth.account.AccountRepository;
import io.linkflow.auth.account.AuthService;
import io.linkflow.auth.audit.AuditTrail;
import io.linkflow.auth.session.ClientInfo;
import io.linkflow.auth.session.TokenResponse;
import io.linkflow.common.db.PgErrors;
import io.linkflow.common.error.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Log-in with an identity an external OpenID Connect provider vouched for. The identity (issuer +
 * subject) is looked up among the linked ones; failing that it is linked to the account with the
 * same e-mail address, or a new account without a password is created for it. Only an address the
 * provider verified is used. Each case writes in one transaction and starts a LinkFlow session in
 * the account's personal workspace, audited as {@code user.login} with method {@code oidc}.
 */
@ApplicationScoped
public class ExternalLoginService {

  /** The log-in method recorded in the audit trail. */
  public static final String METHOD = "oidc";

  private static final Logger LOG = Logger.getLogger(ExternalLoginService.class);

  /** The same pragmatic check sign-up applies: something@domain.tld, at most 254 characters. */
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");

  private final Pool pool;
  private final AuthService auth;
  private final AccountRepository accounts;
  private final ExternalIdentityRepository identities;
  private final AuditTrail audit;

  public ExternalLoginService(
      Pool pool,
      AuthService auth,
      AccountRepository accounts,
      ExternalIdentityRepository identities,
      AuditTrail audit) {
    this.pool = pool;
    this.auth = auth;
    this.accounts = accounts;
    this.identities = identities;
    this.audit = audit;
  }

  /**
   * A token pair for the person behind {@code identity}: 403 without a verified, well-formed e-mail
   * address (nothing is written), 409 when the account with that address is already linked to
   * another identity at the same provider.
   */
  public Uni<TokenResponse> logIn(ExternalIdentity identity, ClientInfo client) {
    requireVerifiedEmail(identity);
    // Two first log-ins of the same person at once (two tabs) race to create or link; the loser
    // finds the winner's link or account on a second look.
    return resolve(identity, client)
        .onFailure(ExternalLoginService::isConflict)
        .recoverWithUni(() -> resolve(identity, client))
        .onFailure(PgErrors::uniqueViolation)
        .transform(
            e -> new ProblemException(409, "This identity or account was linked concurrently."));
  }

  private Uni<TokenResponse> resolve(ExternalIdentity identity, ClientInfo client) {
    return identities
        .findAccount(identity.provider(), identity.subject())
        .flatMap(
            linked -> {
              if (linked.isPresent()) {
                Account account = linked.get();
                return auth.logInAs(account, METHOD, client)
                    .invoke(() -> logOutcome("linked identity", account, identity));
              }
              return accounts
                  .findByEmail(identity.email())
                  .flatMap(
                      byEmail ->
                          byEmail.isPresent()
                              ? linkAndLogIn(byEmail.get(), identity, client)
                              : createAndLink(identity, client));
            });
  }

  /** Links the identity to the account that has its e-mail address, and logs in. */
  private Uni<TokenResponse> linkAndLogIn(
      Account account, ExternalIdentity identity, ClientInfo client) {
    return pool.withTransaction(
            tx ->
                identities
                    .linkedSubject(tx, identity.provider(), account.id())
                    .flatMap(
                        other -> {
                          if (other.isPresent()) {
                            // The address now belongs to someone else at the provider (or the
                            // person has a new identity there): never attach a second one.
                            throw new ProblemException(
                                409,
                                "The LinkFlow account with this e-mail address is already linked to"
                                    + " another identity at this provider.");
                          }
                          return identities.link(
                              tx, identity.provider(), identity.subject(), account.id());
                        })
                    .call(() -> auth.verifyEmail(tx, account.id(), identity.email(), METHOD))
                    .flatMap(ignored -> auth.logInAs(tx, account, METHOD, client)))
        .invoke(() -> logOutcome("linked to existing account", account, identity));
  }

  /** Creates an account without a password for the identity, links it and logs in. */
  private Uni<TokenResponse> createAndLink(ExternalIdentity identity, ClientInfo client) {
    return pool.withTransaction(
            tx ->
                auth.createAccount(tx, identity.email(), null, client)
                    .call(
                        tokens ->
                            identities.link(
                                tx, identity.provider(), identity.subject(), tokens.accountId()))
                    .call(
                        tokens ->
                            auth.verifyEmail(tx, tokens.accountId(), identity.email(), METHOD))
                    .call(
                        tokens ->
                            audit.record(
                                tx,
                                "user.login",
                                tokens.accountId(),
                                tokens.workspaceId(),
                                "success",
                                Map.of("method", METHOD))))
        .invoke(
            tokens ->
                LOG.infof(
                    "External log-in: account %s created for an identity at %s",
                    tokens.accountId(), identity.provider()));
  }

  private static void requireVerifiedEmail(ExternalIdentity identity) {
    String email = identity.email();
    if (email == null
        || !identity.emailVerified()
        || email.length() > 254
        || !EMAIL.matcher(email).matches()) {
      throw new ProblemException(
          403,
          "The identity provider did not confirm a verified e-mail address; LinkFlow needs one to"
              + " log you in.");
    }
    if (identity.provider() == null || identity.subject() == null) {
      throw new ProblemException(
          403, "The identity provider's ID token names no issuer or subject.");
    }
  }

  private static void logOutcome(String how, Account account, ExternalIdentity identity) {
    // No e-mail addresses or tokens in the log: the account id and the issuer identify the event.
    LOG.infof("External log-in (%s): account %s via %s", how, account.id(), identity.provider());
  }

  private static boolean isConflict(Throwable e) {
    return PgErrors.uniqueViolation(e)
        || (e instanceof ProblemException problem && problem.problem().status() == 409);
  }
}
