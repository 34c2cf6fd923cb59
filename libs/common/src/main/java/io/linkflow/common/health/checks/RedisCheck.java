package io.linkflow.common.health.checks;

import io.linkflow.common.health.DependencyCheck;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Named;

/** Redis answers {@code PING}. */
@ApplicationScoped
@Named("redis")
public class RedisCheck implements DependencyCheck {

  private final Instance<ReactiveRedisDataSource> redis;

  public RedisCheck(Instance<ReactiveRedisDataSource> redis) {
    this.redis = redis;
  }

  @Override
  public Uni<Void> probe() {
    return redis.get().execute("PING").replaceWithVoid();
  }
}
