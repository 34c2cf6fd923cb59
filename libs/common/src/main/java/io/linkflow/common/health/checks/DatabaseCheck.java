package io.linkflow.common.health.checks;

import io.linkflow.common.health.DependencyCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Named;

/** PostgreSQL answers {@code SELECT 1} on the service's reactive pool. */
@ApplicationScoped
@Named("database")
public class DatabaseCheck implements DependencyCheck {

  private final Instance<Pool> pool;

  public DatabaseCheck(Instance<Pool> pool) {
    this.pool = pool;
  }

  @Override
  public Uni<Void> probe() {
    return pool.get().query("SELECT 1").execute().replaceWithVoid();
  }
}
