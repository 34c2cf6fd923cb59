package io.linkflow.user.profile;

import io.linkflow.common.error.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** The calling person's own profile. */
@ApplicationScoped
public class ProfileService {

  private final Pool pool;
  private final UserRepository users;

  public ProfileService(Pool pool, UserRepository users) {
    this.pool = pool;
    this.users = users;
  }

  public Uni<UserProfile> me(UUID userId) {
    return existing(pool, userId);
  }

  public Uni<UserProfile> rename(UUID userId, String displayName) {
    return pool.withTransaction(
        tx ->
            users
                .updateDisplayName(tx, userId, displayName)
                .map(found -> found.orElseThrow(ProfileService::unknown)));
  }

  /** The user, or 404 when their sign-up has not reached this service (yet). */
  public Uni<UserProfile> existing(SqlClient client, UUID userId) {
    return users.find(client, userId).map(found -> found.orElseThrow(ProfileService::unknown));
  }

  static ProblemException unknown() {
    return new ProblemException(
        404, "No user profile exists for this account (yet); try again in a moment.");
  }
}
