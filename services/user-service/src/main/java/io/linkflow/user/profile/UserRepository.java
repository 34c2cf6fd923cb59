package io.linkflow.user.profile;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** Users (app_user), created from sign-ups; the id is the auth-service account id. */
@ApplicationScoped
public class UserRepository {

  private static final String COLUMNS = "id, email, email_verified, display_name, created_at";

  public Uni<Optional<UserProfile>> find(SqlClient client, UUID id) {
    return client
        .preparedQuery("SELECT " + COLUMNS + " FROM app_user WHERE id = $1")
        .execute(Tuple.of(id))
        .map(UserRepository::first);
  }

  public Uni<Optional<UserProfile>> updateDisplayName(SqlClient tx, UUID id, String displayName) {
    return tx.preparedQuery(
            "UPDATE app_user SET display_name = $2 WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.of(id, displayName))
        .map(UserRepository::first);
  }

  private static Optional<UserProfile> first(RowSet<Row> rows) {
    return rows.size() == 0
        ? Optional.empty()
        : Optional.of(UserProfile.from(rows.iterator().next()));
  }
}
