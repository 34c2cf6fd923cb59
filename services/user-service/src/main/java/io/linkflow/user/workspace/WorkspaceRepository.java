package io.linkflow.user.workspace;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Workspaces in PostgreSQL; every method runs on the client (or transaction) it is given. */
@ApplicationScoped
public class WorkspaceRepository {

  private static final String AS_MEMBER =
      "SELECT w.id, w.name, w.personal, w.created_at, m.role FROM workspace w"
          + " JOIN membership m ON m.workspace_id = w.id";

  public Uni<Void> insert(SqlClient tx, UUID id, String name, boolean personal) {
    return tx.preparedQuery("INSERT INTO workspace (id, name, personal) VALUES ($1, $2, $3)")
        .execute(Tuple.of(id, name, personal))
        .replaceWithVoid();
  }

  /**
   * Locks the workspace row until the transaction ends; every change to a workspace's members,
   * invitations or teams takes this lock first, so such changes are serialised per workspace (the
   * last-owner rule counts owners under it). False when the workspace does not exist.
   */
  public Uni<Boolean> lock(SqlClient tx, UUID id) {
    return tx.preparedQuery("SELECT id FROM workspace WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 1);
  }

  /** The workspace as {@code userId} sees it, if they are a member. */
  public Uni<Optional<Workspace>> find(SqlClient client, UUID id, UUID userId) {
    return client
        .preparedQuery(AS_MEMBER + " WHERE w.id = $1 AND m.user_id = $2")
        .execute(Tuple.of(id, userId))
        .map(WorkspaceRepository::first);
  }

  public Uni<Void> rename(SqlClient tx, UUID id, String name) {
    return tx.preparedQuery("UPDATE workspace SET name = $2 WHERE id = $1")
        .execute(Tuple.of(id, name))
        .replaceWithVoid();
  }

  /** Every workspace {@code userId} belongs to: the personal one first, then by name. */
  public Uni<List<Workspace>> ofMember(SqlClient client, UUID userId) {
    return client
        .preparedQuery(
            AS_MEMBER + " WHERE m.user_id = $1 ORDER BY w.personal DESC, lower(w.name), w.id")
        .execute(Tuple.of(userId))
        .map(
            rows -> {
              List<Workspace> all = new ArrayList<>(rows.size());
              rows.forEach(row -> all.add(Workspace.from(row)));
              return all;
            });
  }

  private static Optional<Workspace> first(RowSet<Row> rows) {
    return rows.size() == 0
        ? Optional.empty()
        : Optional.of(Workspace.from(rows.iterator().next()));
  }
}
