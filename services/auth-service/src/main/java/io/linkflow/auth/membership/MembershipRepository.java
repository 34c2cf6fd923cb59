package io.linkflow.auth.membership;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** auth-service's copy of memberships (from user.events); every method runs in the caller's tx. */
@ApplicationScoped
public class MembershipRepository {

  /** The account's role in the workspace, if it is a member. */
  public Uni<Optional<String>> role(SqlClient tx, UUID accountId, UUID workspaceId) {
    return tx.preparedQuery(
            "SELECT role FROM membership WHERE account_id = $1 AND workspace_id = $2")
        .execute(Tuple.of(accountId, workspaceId))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getString("role")));
  }

  /** Records (or updates) a membership; a no-op for an account this service does not know. */
  public Uni<Void> upsert(SqlClient tx, UUID accountId, UUID workspaceId, String role) {
    return tx.preparedQuery(
            "INSERT INTO membership (account_id, workspace_id, role)"
                + " SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM account WHERE id = $1)"
                + " ON CONFLICT (account_id, workspace_id)"
                + " DO UPDATE SET role = EXCLUDED.role, updated_at = now()")
        .execute(Tuple.of(accountId, workspaceId, role))
        .replaceWithVoid();
  }

  public Uni<Void> delete(SqlClient tx, UUID accountId, UUID workspaceId) {
    return tx.preparedQuery("DELETE FROM membership WHERE account_id = $1 AND workspace_id = $2")
        .execute(Tuple.of(accountId, workspaceId))
        .replaceWithVoid();
  }
}
