package io.linkflow.schedule.housekeeping;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs a housekeeping job for a slot exactly once across replicas: the replica whose {@code INSERT
 * … ON CONFLICT DO NOTHING} into {@code housekeeping_run} creates the row runs it, every other one
 * (and any repeat) does nothing. This does not depend on the scheduler's leader election: every
 * replica's timer fires, one wins each slot. The outcome (succeeded or failed, items, detail) is
 * recorded on the row, counted in the metrics and logged in one INFO line (ERROR when it failed); a
 * failed slot is not retried, the next slot is.
 */
@ApplicationScoped
public class HousekeepingRunner {

  private static final Logger LOG = Logger.getLogger(HousekeepingRunner.class);

  private final Pool pool;
  private final HousekeepingRuns runs;
  private final HousekeepingJobs jobs;
  private final HousekeepingMetrics metrics;
  private final Config config;
  private final Duration history;
  private final String replica;

  @Inject
  public HousekeepingRunner(
      Pool pool,
      HousekeepingRuns runs,
      HousekeepingJobs jobs,
      HousekeepingMetrics metrics,
      Config config,
      @ConfigProperty(name = "linkflow.housekeeping.history", defaultValue = "30d")
          Duration history,
      @ConfigProperty(name = "linkflow.housekeeping.instance-id") Optional<String> instanceId) {
    this(
        pool,
        runs,
        jobs,
        metrics,
        config,
        history,
        instanceId.filter(id -> !id.isBlank()).orElseGet(HousekeepingRunner::newId));
  }

  private HousekeepingRunner(
      Pool pool,
      HousekeepingRuns runs,
      HousekeepingJobs jobs,
      HousekeepingMetrics metrics,
      Config config,
      Duration history,
      String replica) {
    this.pool = pool;
    this.runs = runs;
    this.jobs = jobs;
    this.metrics = metrics;
    this.config = config;
    this.history = history;
    this.replica = replica;
  }

  /** The same runner as another replica would be (tests race two of them for a slot). */
  HousekeepingRunner asReplica(String otherReplica) {
    return new HousekeepingRunner(pool, runs, jobs, metrics, config, history, otherReplica);
  }

  static String newId() {
    String host = System.getenv().getOrDefault("HOSTNAME", "local");
    long pid = ManagementFactory.getRuntimeMXBean().getPid();
    return host + "-" + pid + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public String replica() {
    return replica;
  }

  /**
   * Whether the job's timer runs it ({@code linkflow.housekeeping.<job>.enabled}, default true).
   */
  public boolean enabled(String job) {
    return config
        .getOptionalValue("linkflow.housekeeping." + job + ".enabled", Boolean.class)
        .orElse(true);
  }

  void loadLastSuccesses(@Observes StartupEvent ignored) {
    pool.withConnection(runs::lastSuccesses)
        .subscribe()
        .with(
            last -> last.forEach(metrics::succeeded),
            e -> LOG.warnf("Could not read the last housekeeping runs: %s", e.toString()));
  }

  /**
   * Runs {@code job} for {@code slot} unless the slot was claimed already; the finished run, or
   * empty when another replica (or an earlier call) has the slot.
   *
   * @param trigger {@code schedule} (the job's cron) or {@code manual} (an operator)
   */
  public Uni<Optional<HousekeepingRuns.Run>> run(String job, Instant slot, String trigger) {
    if (!HousekeepingJobs.exists(job)) {
      return Uni.createFrom().failure(new IllegalArgumentException("no housekeeping job " + job));
    }
    return pool.withConnection(c -> runs.claim(c, job, slot, trigger, replica))
        .flatMap(
            claimed -> {
              if (!claimed) {
                LOG.debugf("Housekeeping job=%s slot=%s: claimed by another replica", job, slot);
                return Uni.createFrom().item(Optional.<HousekeepingRuns.Run>empty());
              }
              long started = System.nanoTime();
              return jobs.run(job)
                  .onFailure()
                  .recoverWithItem(e -> new JobResult(Map.of(), null, describe(e)))
                  .flatMap(result -> finish(job, slot, trigger, result, started))
                  .map(Optional::of);
            });
  }

  private Uni<HousekeepingRuns.Run> finish(
      String job, Instant slot, String trigger, JobResult result, long startedNanos) {
    String outcome = result.error() == null ? HousekeepingRuns.SUCCEEDED : HousekeepingRuns.FAILED;
    String detail =
        result.error() == null
            ? result.detail()
            : result.detail() == null ? result.error() : result.detail() + "; " + result.error();
    Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
    metrics.recordRun(job, outcome, took, result.items());
    log(job, slot, trigger, outcome, result, detail, took);
    return pool.withConnection(
            c ->
                runs.finish(c, job, slot, outcome, result.total(), detail)
                    .call(() -> runs.prune(c, job, history)))
        .onFailure()
        .invoke(
            e ->
                LOG.errorf(
                    "Housekeeping job=%s slot=%s: the outcome could not be recorded: %s",
                    job, slot, e.toString()));
  }

  private void log(
      String job,
      Instant slot,
      String trigger,
      String outcome,
      JobResult result,
      String detail,
      Duration took) {
    MDC.put("job", job);
    MDC.put("slot", slot.toString());
    try {
      String line =
          String.format(
              "Housekeeping job=%s slot=%s trigger=%s outcome=%s items=%d duration_ms=%d: %s",
              job, slot, trigger, outcome, result.total(), took.toMillis(), detail);
      if (HousekeepingRuns.SUCCEEDED.equals(outcome)) {
        LOG.info(line);
      } else {
        LOG.error(line);
      }
    } finally {
      MDC.remove("job");
      MDC.remove("slot");
    }
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getName() : message;
  }
}
