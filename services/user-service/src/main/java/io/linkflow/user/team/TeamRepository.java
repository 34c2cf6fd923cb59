package io.linkflow.user.team;

import io.linkflow.common.paging.PageRequest;
import io.linkflow.user.persistence.Keyset;
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

/** Teams and their members; every query is scoped by the workspace id it is given. */
@ApplicationScoped
public class TeamRepository {

  /** The unique index on (workspace, lower(name)). */
  public static final String UNIQUE_NAME = "team_name_per_workspace";

  private static final String SUMMARY =
      "SELECT t.id, t.name, t.description, t.created_at, t.updated_at, lower(t.name) AS sort_key,"
          + " (SELECT count(*) FROM team_member tm WHERE tm.team_id = t.id) AS member_count"
          + " FROM team t WHERE t.workspace_id = $1";

  /** A listed team with the key it is sorted by (its name as PostgreSQL lower-cases it). */
  public record Listed(TeamSummary team, String sortKey) {}

  /** Inserts a team; a unique violation on {@link #UNIQUE_NAME} means the name is taken. */
  public Uni<Void> insert(
      SqlClient tx, UUID id, UUID workspaceId, String name, String description) {
    return tx.preparedQuery(
            "INSERT INTO team (id, workspace_id, name, description) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(id, workspaceId, name, description))
        .replaceWithVoid();
  }

  /** One page of the workspace's teams, by name. */
  public Uni<List<Listed>> page(SqlClient client, UUID workspaceId, PageRequest request) {
    String sql;
    Tuple args;
    if (request.after().isPresent()) {
      var cursor = request.after().get();
      sql =
          SUMMARY
              + " AND (lower(t.name), t.id) > ($2::text, $3) ORDER BY lower(t.name), t.id LIMIT $4";
      args = Tuple.of(workspaceId, cursor.sortKey(), Keyset.id(cursor), request.fetchSize());
    } else {
      sql = SUMMARY + " ORDER BY lower(t.name), t.id LIMIT $2";
      args = Tuple.of(workspaceId, request.fetchSize());
    }
    return client
        .preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              List<Listed> teams = new ArrayList<>(rows.size());
              rows.forEach(
                  row -> teams.add(new Listed(TeamSummary.from(row), row.getString("sort_key"))));
              return teams;
            });
  }

  public Uni<Optional<TeamSummary>> find(SqlClient client, UUID workspaceId, UUID id) {
    return client
        .preparedQuery(SUMMARY + " AND t.id = $2")
        .execute(Tuple.of(workspaceId, id))
        .map(TeamRepository::first);
  }

  /** The team's members in the order they were added. */
  public Uni<List<TeamMember>> members(SqlClient client, UUID workspaceId, UUID teamId) {
    return client
        .preparedQuery(
            "SELECT tm.user_id, u.email, u.display_name, tm.added_at FROM team_member tm"
                + " JOIN app_user u ON u.id = tm.user_id"
                + " WHERE tm.workspace_id = $1 AND tm.team_id = $2 ORDER BY tm.added_at, tm.user_id")
        .execute(Tuple.of(workspaceId, teamId))
        .map(
            rows -> {
              List<TeamMember> members = new ArrayList<>(rows.size());
              rows.forEach(row -> members.add(TeamMember.from(row)));
              return members;
            });
  }

  /**
   * Changes the name (when not null) and the description (when {@code setDescription}; null clears
   * it). False when the workspace has no such team.
   */
  public Uni<Boolean> update(
      SqlClient tx,
      UUID workspaceId,
      UUID id,
      String name,
      boolean setDescription,
      String description) {
    return tx.preparedQuery(
            "UPDATE team SET name = coalesce($3::text, name),"
                + " description = CASE WHEN $4 THEN $5::text ELSE description END,"
                + " updated_at = now() WHERE id = $1 AND workspace_id = $2")
        .execute(Tuple.of(id, workspaceId, name, setDescription, description))
        .map(result -> result.rowCount() == 1);
  }

  public Uni<Boolean> delete(SqlClient tx, UUID workspaceId, UUID id) {
    return tx.preparedQuery("DELETE FROM team WHERE id = $1 AND workspace_id = $2")
        .execute(Tuple.of(id, workspaceId))
        .map(result -> result.rowCount() == 1);
  }

  /** Adds a workspace member to a team of that workspace; adding them twice changes nothing. */
  public Uni<Void> addMember(SqlClient tx, UUID workspaceId, UUID teamId, UUID userId) {
    return tx.preparedQuery(
            "INSERT INTO team_member (team_id, workspace_id, user_id) VALUES ($1, $2, $3)"
                + " ON CONFLICT (team_id, user_id) DO NOTHING")
        .execute(Tuple.of(teamId, workspaceId, userId))
        .replaceWithVoid();
  }

  public Uni<Boolean> removeMember(SqlClient tx, UUID workspaceId, UUID teamId, UUID userId) {
    return tx.preparedQuery(
            "DELETE FROM team_member WHERE team_id = $1 AND workspace_id = $2 AND user_id = $3")
        .execute(Tuple.of(teamId, workspaceId, userId))
        .map(result -> result.rowCount() == 1);
  }

  private static Optional<TeamSummary> first(RowSet<Row> rows) {
    return rows.size() == 0
        ? Optional.empty()
        : Optional.of(TeamSummary.from(rows.iterator().next()));
  }
}
