package io.linkflow.schedule.housekeeping;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * The timers of the housekeeping jobs: Quartz-style crons ({@code
 * linkflow.housekeeping.<job>.cron}, in {@code linkflow.housekeeping.timezone}) on every replica.
 * The slot of a run is the fire time the cron scheduled (not when the timer thread woke), so every
 * replica names the same slot and {@link HousekeepingRunner} lets one of them run it. A slot missed
 * while no replica was up is not made up for: the next one runs. A run still going when its next
 * fire comes (on this replica) makes that fire skip. {@code
 * linkflow.housekeeping.<job>.enabled=false} (or the cron {@code off}) stops a job's timer; it can
 * still be run by hand.
 */
@ApplicationScoped
public class HousekeepingSchedule {

  private static final Logger LOG = Logger.getLogger(HousekeepingSchedule.class);

  private final HousekeepingRunner runner;

  public HousekeepingSchedule(HousekeepingRunner runner) {
    this.runner = runner;
  }

  @Scheduled(
      identity = "housekeeping-retention",
      cron = "${linkflow.housekeeping.retention.cron}",
      timeZone = "${linkflow.housekeeping.timezone}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> retention(ScheduledExecution execution) {
    return timed("retention", execution);
  }

  @Scheduled(
      identity = "housekeeping-dlq",
      cron = "${linkflow.housekeeping.dlq.cron}",
      timeZone = "${linkflow.housekeeping.timezone}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> dlq(ScheduledExecution execution) {
    return timed("dlq", execution);
  }

  @Scheduled(
      identity = "housekeeping-stale",
      cron = "${linkflow.housekeeping.stale.cron}",
      timeZone = "${linkflow.housekeeping.timezone}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> stale(ScheduledExecution execution) {
    return timed("stale", execution);
  }

  @Scheduled(
      identity = "housekeeping-usage",
      cron = "${linkflow.housekeeping.usage.cron}",
      timeZone = "${linkflow.housekeeping.timezone}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> usage(ScheduledExecution execution) {
    return timed("usage", execution);
  }

  private Uni<Void> timed(String job, ScheduledExecution execution) {
    if (!runner.enabled(job)) {
      return Uni.createFrom().voidItem();
    }
    return fire(job, execution);
  }

  /** Runs the slot of one fire of a job's timer (whether or not the job is enabled). */
  Uni<Void> fire(String job, ScheduledExecution execution) {
    Instant slot = slot(execution);
    return runner
        .run(job, slot, "schedule")
        .replaceWithVoid()
        .onFailure()
        .recoverWithUni(
            e -> {
              LOG.errorf("Housekeeping job=%s slot=%s could not run: %s", job, slot, e.toString());
              return Uni.createFrom().voidItem();
            });
  }

  /** The fire time the cron scheduled, to the second: the same on every replica. */
  static Instant slot(ScheduledExecution execution) {
    return execution.getScheduledFireTime().truncatedTo(ChronoUnit.SECONDS);
  }
}
