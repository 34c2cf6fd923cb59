package io.linkflow.execution;

import io.linkflow.execution.store.ExecutionRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The timers of every execution, durable in {@code execution.wake_at}: retry delays, waits,
 * commands whose lease expired, execution deadlines and executions queued behind a concurrency
 * limit whose turn came. Any replica may sweep: each execution is handled under its row lock. Also
 * deletes executions older than the retention.
 */
@ApplicationScoped
public class Sweeper {

  private static final Logger LOG = Logger.getLogger(Sweeper.class);

  private final Pool pool;
  private final ExecutionRepository repository;
  private final Executions executions;
  private final int batch;
  private final Duration retention;

  public Sweeper(
      Pool pool,
      ExecutionRepository repository,
      Executions executions,
      @ConfigProperty(name = "linkflow.execution.sweep-batch", defaultValue = "100") int batch,
      @ConfigProperty(name = "linkflow.execution.retention", defaultValue = "30d")
          Duration retention) {
    this.pool = pool;
    this.repository = repository;
    this.executions = executions;
    this.batch = batch;
    this.retention = retention;
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

  /** Deletes executions (and their node runs) that finished longer ago than the retention. */
  @Scheduled(
      every = "${linkflow.execution.retention-sweep-interval:1h}",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> purgeOld() {
    return purge(Instant.now().minus(retention)).replaceWithVoid();
  }

  /** Deletes in batches of 1,000 every execution finished before {@code before}; the count. */
  public Uni<Integer> purge(Instant before) {
    return pool.withConnection(c -> repository.purge(c, before, 1000))
        .flatMap(
            deleted ->
                deleted < 1000
                    ? Uni.createFrom().item(deleted)
                    : purge(before).map(more -> deleted + more))
        .invoke(
            deleted -> {
              if (deleted > 0) {
                LOG.infof(
                    "Deleted %d executions finished before %s (retention %s)",
                    deleted, before, retention);
              }
            });
  }
}
