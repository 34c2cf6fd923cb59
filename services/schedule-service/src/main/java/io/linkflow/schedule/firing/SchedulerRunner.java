package io.linkflow.schedule.firing;

import io.linkflow.events.outbox.Outbox;
import io.linkflow.schedule.store.ScheduleRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs this replica's {@link Scheduler} from start-up to shutdown (which gives the lease up). Its
 * holder id is {@code linkflow.schedule.instance-id}, by default host name, process id and a random
 * suffix: unique per JVM. {@link #newScheduler} builds further instances with their own holder ids
 * (the failover test runs two in one JVM).
 */
@ApplicationScoped
public class SchedulerRunner {

  private static final Logger LOG = Logger.getLogger(SchedulerRunner.class);

  private final Pool pool;
  private final Outbox outbox;
  private final ScheduleRepository schedules;
  private final ScheduleMetrics metrics;
  private final boolean enabled;
  private final Scheduler.Settings settings;
  private final String instanceId;
  private Scheduler scheduler;

  public SchedulerRunner(
      Pool pool,
      Outbox outbox,
      ScheduleRepository schedules,
      ScheduleMetrics metrics,
      @ConfigProperty(name = "linkflow.schedule.enabled", defaultValue = "true") boolean enabled,
      @ConfigProperty(name = "linkflow.schedule.lease-ttl", defaultValue = "10s") Duration leaseTtl,
      @ConfigProperty(name = "linkflow.schedule.lease-renew-interval", defaultValue = "2s")
          Duration renewInterval,
      @ConfigProperty(name = "linkflow.schedule.tick-interval", defaultValue = "1s")
          Duration tickInterval,
      @ConfigProperty(name = "linkflow.schedule.misfire-grace", defaultValue = "30s")
          Duration misfireGrace,
      @ConfigProperty(name = "linkflow.schedule.tick-batch-size", defaultValue = "500")
          int batchSize,
      @ConfigProperty(name = "linkflow.schedule.instance-id") Optional<String> instanceId) {
    this.pool = pool;
    this.outbox = outbox;
    this.schedules = schedules;
    this.metrics = metrics;
    this.enabled = enabled;
    this.settings =
        new Scheduler.Settings(leaseTtl, renewInterval, tickInterval, misfireGrace, batchSize);
    this.instanceId = instanceId.filter(id -> !id.isBlank()).orElseGet(SchedulerRunner::newId);
  }

  /** Host name (the pod's, in Kubernetes), process id and a random suffix. */
  static String newId() {
    String host = System.getenv().getOrDefault("HOSTNAME", "local");
    long pid = ManagementFactory.getRuntimeMXBean().getPid();
    return host + "-" + pid + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  void onStart(@Observes StartupEvent ignored) {
    if (!enabled) {
      LOG.info("Scheduler disabled (linkflow.schedule.enabled=false): this replica never fires");
      return;
    }
    start();
  }

  void onStop(@Observes ShutdownEvent ignored) {
    stop();
  }

  /** Starts this replica's scheduler (again, after {@link #stop}). */
  public synchronized void start() {
    if (scheduler == null) {
      scheduler = newScheduler(instanceId, settings, metrics);
      scheduler.start();
    }
  }

  /** Stops this replica's scheduler and gives its lease up. */
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.stop();
      scheduler = null;
    }
  }

  /** This replica's scheduler, while it runs. */
  public synchronized Optional<Scheduler> scheduler() {
    return Optional.ofNullable(scheduler);
  }

  /** True while this replica leads. */
  public synchronized boolean isLeader() {
    return scheduler != null && scheduler.isLeader();
  }

  /** The configured settings. */
  public Scheduler.Settings settings() {
    return settings;
  }

  /** This replica's holder id. */
  public String instanceId() {
    return instanceId;
  }

  /**
   * A scheduler on the same database and outbox with its own holder id, settings and metrics — not
   * started. For drills and tests (several replicas in one JVM).
   */
  public Scheduler newScheduler(
      String holder, Scheduler.Settings settings, ScheduleMetrics metrics) {
    return new Scheduler(
        pool, outbox, schedules, new LeaderLease(LeaderLease.SCHEDULER), metrics, settings, holder);
  }
}
