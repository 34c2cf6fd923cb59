package io.linkflow.execution;

import io.linkflow.execution.store.ExecutionRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The timers of every execution, durable in {@code execution.wake_at}: retry delays, waits,
 * commands whose lease expired, execution deadlines and executions queued behind a concurrency
 * limit whose turn came. Any replica may sweep: each execution is handled under its row lock.
 * (Deleting old executions and re-queueing stale ones are housekeeping jobs that schedule-service
 * times: {@code io.linkflow.execution.housekeeping}.)
 */
@ApplicationScoped
public class Sweeper {

  private static final Logger LOG = Logger.getLogger(Sweeper.class);

  private final Pool pool;
  private final ExecutionRepository repository;
  private final Executions executions;
  private final int batch;

  public Sweeper(
      Pool pool,
      ExecutionRepository repository,
      Executions executions,
      @ConfigProperty(name = "linkflow.execution.sweep-batch", defaultValue = "100") int batch) {
    this.pool = pool;
    this.repository = repository;
    this.executions = executions;
    this.batch = batch;
  }

  @Scheduled(
      every = "${linkflow.execution.sweep-interval:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> sweep() {
    return pool.withConnection(c -> repository.dueIds(c, batch))
        .onItem()
        .transformToMulti(ids -> Multi.createFrom().iterable(ids))
        .onItem()
        .transformToUniAndConcatenate(
            id ->
                executions
                    .wake(id)
                    .onFailure()
                    .recoverWithUni(
                        e -> {
                          LOG.warnf("Waking execution %s failed, will retry: %s", id, e.toString());
                          return Uni.createFrom().voidItem();
                        }))
        .collect()
        .last()
        .replaceWithVoid()
        .onFailure()
        .recoverWithUni(
            e -> {
              LOG.warnf("Sweep failed: %s", e.toString());
              return Uni.createFrom().voidItem();
            });
  }
}
