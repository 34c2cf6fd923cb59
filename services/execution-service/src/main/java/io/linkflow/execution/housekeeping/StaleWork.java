package io.linkflow.execution.housekeeping;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The stale-work job, a safety net under the one-second {@code Sweeper}: executions that lost their
 * timer (see {@link HousekeepingRepository#requeueStale} for exactly which) and made no progress
 * for {@code linkflow.execution.stale-after} (10 minutes) get {@code wake_at = now()}, so the
 * normal sweep re-evaluates them under their row lock. Each one is logged at WARN: it means a lost
 * wake-up somewhere. Timed by schedule-service (every 5 minutes).
 */
@ApplicationScoped
public class StaleWork {

  private static final Logger LOG = Logger.getLogger(StaleWork.class);

  private final Pool pool;
  private final HousekeepingRepository repository;
  private final Duration staleAfter;
  private final int limit;
  private final Clock clock = Clock.systemUTC();

  public StaleWork(
      Pool pool,
      HousekeepingRepository repository,
      @ConfigProperty(name = "linkflow.execution.stale-after", defaultValue = "10m")
          Duration staleAfter,
      @ConfigProperty(name = "linkflow.execution.stale-batch", defaultValue = "1000") int limit) {
    this.pool = pool;
    this.repository = repository;
    this.staleAfter = staleAfter;
    this.limit = limit;
  }

  /** Gives the stuck executions a timer again; the ones re-queued. */
  public Uni<List<HousekeepingRepository.Requeued>> run() {
    return pool.withConnection(
            c -> repository.requeueStale(c, clock.instant().minus(staleAfter), limit))
        .invoke(
            requeued -> {
              for (HousekeepingRepository.Requeued r : requeued) {
                LOG.warnf(
                    "Stale execution %s (%s, workflow %s, created %s) had no timer and no progress"
                        + " for %s: re-queued for the sweeper",
                    r.id(), r.status(), r.workflowId(), r.createdAt(), staleAfter);
              }
              LOG.infof("Stale work: %d executions re-queued", requeued.size());
            });
  }
}
