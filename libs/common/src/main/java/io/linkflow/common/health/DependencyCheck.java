package io.linkflow.common.health;

import io.smallrye.mutiny.Uni;

/**
 * One dependency a service needs to serve traffic (database, redis, queue, …). Implementations are
 * CDI beans named with {@code @Named("<check name>")}; a service lists the checks it really uses in
 * {@code linkflow.health.checks}, and only those are ever created.
 */
public interface DependencyCheck {

  /**
   * Completes with normally when the dependency answers, with a failure when it does not. The
   * caller applies a timeout.
   */
  Uni<Void> probe();
}
