package io.linkflow.execution.housekeeping;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The usage job: rolls executions up per workspace, workflow and hour into {@code usage_hourly} for
 * every complete hour since the last rollup (watermark in {@code usage_rollup}; the first run
 * covers {@code linkflow.execution.usage-backfill}, 24 h). An hour is complete once it ended {@code
 * linkflow.execution.usage-settle} (2 minutes) ago, so executions finishing at its very end have
 * committed. Each hour is one transaction that also moves the watermark; at most {@code
 * linkflow.execution.usage-max-hours} per call ({@code more} says there are more). Re-running an
 * hour recomputes it and gives the same numbers (a row is never lowered, so executions deleted
 * since still count). Timed by schedule-service (hourly at minute 5).
 */
@ApplicationScoped
public class UsageRollup {

  private static final Logger LOG = Logger.getLogger(UsageRollup.class);

  private final Pool pool;
  private final HousekeepingRepository repository;
  private final Duration backfill;
  private final Duration settle;
  private final int maxHours;
  private final Clock clock = Clock.systemUTC();

  public UsageRollup(
      Pool pool,
      HousekeepingRepository repository,
      @ConfigProperty(name = "linkflow.execution.usage-backfill", defaultValue = "24h")
          Duration backfill,
      @ConfigProperty(name = "linkflow.execution.usage-settle", defaultValue = "2m")
          Duration settle,
      @ConfigProperty(name = "linkflow.execution.usage-max-hours", defaultValue = "168")
          int maxHours) {
    this.pool = pool;
    this.repository = repository;
    this.backfill = backfill;
    this.settle = settle;
    this.maxHours = maxHours;
  }

  /** What a call did: hours [from, to) rolled up, rows written, whether more hours are due. */
  public record Outcome(int hours, int rows, Instant from, Instant to, boolean more) {}

  /**
   * Rolls up every complete hour from the watermark (or {@code from}, truncated to its hour, to
   * recompute hours already rolled up) on.
   */
  public Uni<Outcome> run(Instant from) {
    Instant end = clock.instant().minus(settle).truncatedTo(ChronoUnit.HOURS);
    return pool.withConnection(repository::watermark)
        .flatMap(
            watermark -> {
              Instant start =
                  from != null
                      ? from.truncatedTo(ChronoUnit.HOURS)
                      : watermark.orElse(end.minus(backfill).truncatedTo(ChronoUnit.HOURS));
              long due = start.isBefore(end) ? Duration.between(start, end).toHours() : 0;
              int hours = (int) Math.min(due, maxHours);
              Instant stop = start.plus(Duration.ofHours(hours));
              return rollUp(start, stop, 0)
                  .map(rows -> new Outcome(hours, rows, start, stop, due > hours));
            })
        .invoke(
            o ->
                LOG.infof(
                    "Usage rollup: %d hours [%s, %s), %d rows%s",
                    o.hours(), o.from(), o.to(), o.rows(), o.more() ? "; more hours due" : ""));
  }

  private Uni<Integer> rollUp(Instant hour, Instant stop, int sofar) {
    if (!hour.isBefore(stop)) {
      return Uni.createFrom().item(sofar);
    }
    Instant next = hour.plus(Duration.ofHours(1));
    return pool.withTransaction(
            tx -> repository.rollUpHour(tx, hour).call(() -> repository.advanceWatermark(tx, next)))
        .flatMap(rows -> rollUp(next, stop, sofar + rows));
  }
}
