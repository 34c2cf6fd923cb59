package io.linkflow.user.membership;

import io.linkflow.common.paging.PageRequest;
import io.linkflow.security.Roles;
import io.linkflow.user.persistence.Keyset;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Memberships (who belongs to which workspace with which role); always by workspace id. */
@ApplicationScoped
public class MembershipRepository {

  private static final String MEMBER =
      "SELECT m.user_id, u.email, u.display_name, m.role, m.created_at FROM membership m"
          + " JOIN app_user u ON u.id = m.user_id WHERE m.workspace_id = $1";

  /** {@code userId}'s role in the workspace, empty if they are not a member. */
  public Uni<Optional<String>> role(SqlClient client, UUID workspaceId, UUID userId) {
    return client
        .preparedQuery("SELECT role FROM membership WHERE workspace_id = $1 AND user_id = $2")
        .execute(Tuple.of(workspaceId, userId))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getString("role")));
  }

  public Uni<Optional<Member>> find(SqlClient client, UUID workspaceId, UUID userId) {
    return client
        .preparedQuery(MEMBER + " AND m.user_id = $2")
        .execute(Tuple.of(workspaceId, userId))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(Member.from(rows.iterator().next())));
  }

  /** One page of members in the order they joined (then by id). */
  public Uni<List<Member>> page(SqlClient client, UUID workspaceId, PageRequest request) {
    String sql;
    Tuple args;
    if (request.after().isPresent()) {
      var cursor = request.after().get();
      sql =
          MEMBER
              + " AND (m.created_at, m.user_id) > ($2, $3) ORDER BY m.created_at, m.user_id"
              + " LIMIT $4";
      args = Tuple.of(workspaceId, Keyset.time(cursor), Keyset.id(cursor), request.fetchSize());
    } else {
      sql = MEMBER + " ORDER BY m.created_at, m.user_id LIMIT $2";
      args = Tuple.of(workspaceId, request.fetchSize());
    }
    return client
        .preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              List<Member> members = new ArrayList<>(rows.size());
              rows.forEach(row -> members.add(Member.from(row)));
              return members;
            });
  }

  /** Adds a member; fails with a unique violation (23505) when they already are one. */
  public Uni<Void> insert(SqlClient tx, UUID workspaceId, UUID userId, String role) {
    return tx.preparedQuery(
            "INSERT INTO membership (workspace_id, user_id, role) VALUES ($1, $2, $3)")
        .execute(Tuple.of(workspaceId, userId, role))
        .replaceWithVoid();
  }

  public Uni<Void> updateRole(SqlClient tx, UUID workspaceId, UUID userId, String role) {
    return tx.preparedQuery(
            "UPDATE membership SET role = $3 WHERE workspace_id = $1 AND user_id = $2")
        .execute(Tuple.of(workspaceId, userId, role))
        .replaceWithVoid();
  }

  /** Removes a member; the database removes them from the workspace's teams too. */
  public Uni<Void> delete(SqlClient tx, UUID workspaceId, UUID userId) {
    return tx.preparedQuery("DELETE FROM membership WHERE workspace_id = $1 AND user_id = $2")
        .execute(Tuple.of(workspaceId, userId))
        .replaceWithVoid();
  }

  /** How many owners the workspace has; call with the workspace locked. */
  public Uni<Long> countOwners(SqlClient tx, UUID workspaceId) {
    return tx.preparedQuery("SELECT count(*) FROM membership WHERE workspace_id = $1 AND role = $2")
        .execute(Tuple.of(workspaceId, Roles.OWNER))
        .map(rows -> rows.iterator().next().getLong(0));
  }
}
