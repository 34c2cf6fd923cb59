package io.linkflow.auth.account;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Optional;

/** Accounts in PostgreSQL; e-mail addresses are unique case-insensitively. */
@ApplicationScoped
public class AccountRepository {

  private final Pool pool;

  public AccountRepository(Pool pool) {
    this.pool = pool;
  }

  public static String normalize(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  /** Inserts; fails with a unique violation (SQL state 23505) when the e-mail is taken. */
  public Uni<Void> insert(SqlClient tx, Account account) {
    return tx.preparedQuery(
            "INSERT INTO account (id, email, email_normalized, password_hash,"
                + " personal_workspace_id) VALUES ($1, $2, $3, $4, $5)")
        .execute(
            Tuple.of(
                account.id(),
                account.email(),
                normalize(account.email()),
                account.passwordHash(),
                account.personalWorkspaceId()))
        .replaceWithVoid();
  }

  /** Records that the account's e-mail is verified; true the first time, false after. */
  public Uni<Boolean> markEmailVerified(SqlClient tx, java.util.UUID accountId) {
    return tx.preparedQuery(
            "UPDATE account SET email_verified_at = now() WHERE id = $1"
                + " AND email_verified_at IS NULL")
        .execute(Tuple.of(accountId))
        .map(result -> result.rowCount() == 1);
  }

  public Uni<Optional<Account>> findByEmail(String email) {
    return pool.preparedQuery(
            "SELECT id, email, password_hash, personal_workspace_id FROM account"
                + " WHERE email_normalized = $1")
        .execute(Tuple.of(normalize(email)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.<Account>empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(
                  new Account(
                      row.getUUID("id"),
                      row.getString("email"),
                      row.getString("password_hash"),
                      row.getUUID("personal_workspace_id")));
            });
  }
}
