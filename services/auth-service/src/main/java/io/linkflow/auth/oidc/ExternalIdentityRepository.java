package io.linkflow.auth.oidc;

import io.linkflow.auth.account.Account;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/**
 * Links between identities at external providers (issuer + subject) and accounts, in the {@code
 * external_identity} table; at most one identity per provider and account.
 */
@ApplicationScoped
public class ExternalIdentityRepository {

  private final Pool pool;

  public ExternalIdentityRepository(Pool pool) {
    this.pool = pool;
  }

  /** The account this identity is linked to, if any. */
  public Uni<Optional<Account>> findAccount(String provider, String subject) {
    return pool.preparedQuery(
            "SELECT a.id, a.email, a.password_hash, a.personal_workspace_id"
                + " FROM external_identity i JOIN account a ON a.id = i.account_id"
                + " WHERE i.provider = $1 AND i.subject = $2")
        .execute(Tuple.of(provider, subject))
        .map(ExternalIdentityRepository::firstAccount);
  }

  /** The subject of the identity at {@code provider} already linked to the account, if any. */
  public Uni<Optional<String>> linkedSubject(SqlClient tx, String provider, UUID accountId) {
    return tx.preparedQuery(
            "SELECT subject FROM external_identity WHERE provider = $1 AND account_id = $2")
        .execute(Tuple.of(provider, accountId))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<String>empty()
                    : Optional.of(rows.iterator().next().getString("subject")));
  }

  /**
   * Links the identity to the account; fails with a unique violation (SQL state 23505) when either
   * is already linked at this provider.
   */
  public Uni<Void> link(SqlClient tx, String provider, String subject, UUID accountId) {
    return tx.preparedQuery(
            "INSERT INTO external_identity (provider, subject, account_id) VALUES ($1, $2, $3)")
        .execute(Tuple.of(provider, subject, accountId))
        .replaceWithVoid();
  }

  private static Optional<Account> firstAccount(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    return Optional.of(
        new Account(
            row.getUUID("id"),
            row.getString("email"),
            row.getString("password_hash"),
            row.getUUID("personal_workspace_id")));
  }
}
