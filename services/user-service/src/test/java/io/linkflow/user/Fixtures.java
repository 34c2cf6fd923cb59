package io.linkflow.user;

import io.linkflow.testing.TestIssuer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Arranges people and workspaces straight in the database (as sign-ups would have left them) and
 * reads the database back, so tests can state what happened to the rows.
 */
final class Fixtures {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** A signed-up person with their personal workspace. */
  record Person(UUID id, String email, UUID personalWorkspace) {

    /** A valid access token of this person for {@code workspace} claiming {@code role}. */
    String token(UUID workspace, String role) {
      return TestIssuer.get().token(id, workspace, role);
    }
  }

  private final Pool pool;

  Fixtures(Pool pool) {
    this.pool = pool;
  }

  /** A person as a sign-up creates them: user, personal workspace, owner membership. */
  Person person() {
    return person("p-" + UUID.randomUUID() + "@example.com");
  }

  Person person(String email) {
    UUID id = UUID.randomUUID();
    UUID personal = UUID.randomUUID();
    update("INSERT INTO app_user (id, email) VALUES ($1, $2)", id, email);
    update("INSERT INTO workspace (id, name, personal) VALUES ($1, 'Personal', true)", personal);
    join(personal, id, "owner");
    return new Person(id, email, personal);
  }

  /** A workspace (not personal) owned by {@code owner}. */
  UUID workspace(Person owner, String name) {
    UUID id = UUID.randomUUID();
    update("INSERT INTO workspace (id, name) VALUES ($1, $2)", id, name);
    join(id, owner.id(), "owner");
    return id;
  }

  void join(UUID workspace, UUID user, String role) {
    update(
        "INSERT INTO membership (workspace_id, user_id, role) VALUES ($1, $2, $3)",
        workspace,
        user,
        role);
  }

  /** A new person who is a member of {@code workspace} with {@code role}. */
  Person member(UUID workspace, String role) {
    Person person = person();
    join(workspace, person.id(), role);
    return person;
  }

  /** The person's role in the workspace, null if not a member. */
  String role(UUID workspace, UUID user) {
    List<Row> rows =
        rows(
            "SELECT role FROM membership WHERE workspace_id = $1 AND user_id = $2",
            workspace,
            user);
    return rows.isEmpty() ? null : rows.get(0).getString("role");
  }

  long count(String sql, Object... args) {
    return rows(sql, args).get(0).getLong(0);
  }

  void update(String sql, Object... args) {
    pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(WAIT);
  }

  List<Row> rows(String sql, Object... args) {
    RowSet<Row> rows = pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(WAIT);
    List<Row> all = new ArrayList<>();
    rows.forEach(all::add);
    return all;
  }

  /**
   * Everything stored about a workspace, as text: the workspace, its members, teams, team members
   * and invitations. Equal snapshots mean nothing about the workspace changed.
   */
  List<String> snapshot(UUID workspace) {
    List<String> state = new ArrayList<>();
    String[] queries = {
      "SELECT id, name, personal, created_at FROM workspace WHERE id = $1",
      "SELECT user_id, role, created_at FROM membership WHERE workspace_id = $1 ORDER BY user_id",
      "SELECT id, name, description, updated_at FROM team WHERE workspace_id = $1 ORDER BY id",
      "SELECT team_id, user_id FROM team_member WHERE workspace_id = $1 ORDER BY team_id, user_id",
      "SELECT id, email, role, status, expires_at, token_hash FROM invitation"
          + " WHERE workspace_id = $1 ORDER BY id"
    };
    for (String query : queries) {
      for (Row row : rows(query, workspace)) {
        state.add(row.toJson().encode());
      }
    }
    return state;
  }
}
