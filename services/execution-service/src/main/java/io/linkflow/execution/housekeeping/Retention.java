package io.linkflow.execution.housekeeping;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The retention job: deletes executions that finished longer ago than {@code
 * linkflow.execution.retention} (30 days), with their node runs, in batches of {@code
 * linkflow.execution.retention-batch} executions, each its own short transaction, for at most
 * {@code linkflow.execution.retention-budget} per call; {@code more} tells the caller to call
 * again. Timed by schedule-service (daily at 03:00 UTC), which calls {@code POST
 * /internal/v1/housekeeping/retention}.
 */
@ApplicationScoped
public class Retention {

  private static final Logger LOG = Logger.getLogger(Retention.class);

  private final Pool pool;
  private final HousekeepingRepository repository;
  private final Duration retention;
  private final int batch;
  private final Duration budget;
  private final Clock clock = Clock.systemUTC();

  public Retention(
      Pool pool,
      HousekeepingRepository repository,
      @ConfigProperty(name = "linkflow.execution.retention", defaultValue = "30d")
          Duration retention,
      @ConfigProperty(name = "linkflow.execution.retention-batch", defaultValue = "500") int batch,
      @ConfigProperty(name = "linkflow.execution.retention-budget", defaultValue = "60s")
          Duration budget) {
    this.pool = pool;
    this.repository = repository;
    this.retention = retention;
    this.batch = batch;
    this.budget = budget;
  }

  /** What a call did: executions deleted, and whether older ones are left (budget spent). */
  public record Outcome(int deleted, boolean more, Instant before) {}

  /** Deletes what finished before now minus the retention. */
  public Uni<Outcome> run() {
    Instant before = clock.instant().minus(retention);
    long deadline = System.nanoTime() + budget.toNanos();
    return purge(before, deadline, 0)
        .invoke(
            outcome ->
                LOG.infof(
                    "Retention: deleted %d executions finished before %s (retention %s)%s",
                    outcome.deleted(),
                    before,
                    retention,
                    outcome.more() ? "; more left for the next call" : ""));
  }

  private Uni<Outcome> purge(Instant before, long deadline, int sofar) {
    return pool.withConnection(c -> repository.purge(c, before, batch))
        .flatMap(
            deleted -> {
              int total = sofar + deleted;
              if (deleted < batch) {
                return Uni.createFrom().item(new Outcome(total, false, before));
              }
              if (System.nanoTime() - deadline >= 0) {
                return Uni.createFrom().item(new Outcome(total, true, before));
              }
              return purge(before, deadline, total);
            });
  }
}
