package io.linkflow.schedule.firing;

import io.linkflow.events.EventCodec;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.outbox.Outbox;
import io.linkflow.events.payload.ExecutionRequestedV1;
import io.linkflow.nodes.timing.Timing;
import io.linkflow.schedule.store.Schedule;
import io.linkflow.schedule.store.ScheduleRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One replica's part in scheduling: it keeps trying to hold the scheduler lease ({@link
 * LeaderLease}) and, while it holds it, fires due schedules. Two threads: one acquires or renews
 * the lease every {@code renewInterval}, one ticks every {@code tickInterval}.
 *
 * <p>A tick is one transaction: verify the lease with this replica's fencing token ({@code SELECT …
 * FOR SHARE}, else step down and fire nothing), take the due schedules ({@code FOR UPDATE SKIP
 * LOCKED}), decide ({@link FirePlan}), append one {@code execution.requested} per fire to the
 * outbox for schedule.triggers and write the schedules' new next fire times. The outbox relay
 * publishes after commit. A fire's execution id is derived from the schedule and the fire time
 * ({@link Fires#executionId}), so even a fire published twice runs once.
 *
 * <p>Several instances may run in one JVM (each with its own holder id), which is how the failover
 * is tested; {@link #halt()} stops one as a crash would, keeping its lease until it expires.
 */
public final class Scheduler {

  private static final Logger LOG = Logger.getLogger(Scheduler.class);

  /** How long a tick's transaction may take before the tick is abandoned. */
  static final Duration TICK_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Timing of the election and of ticks.
   *
   * @param leaseTtl how long a lease lasts unless renewed (a crashed leader is replaced within
   *     about {@code leaseTtl + renewInterval})
   * @param renewInterval how often the leader renews and standbys try to take the lease
   * @param tickInterval how often the leader looks for due schedules
   * @param misfireGrace how late a fire time may be and still fire as usual; later, it was missed
   * @param batchSize due schedules handled per transaction
   */
  public record Settings(
      Duration leaseTtl,
      Duration renewInterval,
      Duration tickInterval,
      Duration misfireGrace,
      int batchSize) {

    public Settings {
      if (leaseTtl.compareTo(renewInterval.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException(
            "linkflow.schedule.lease-ttl must be at least twice lease-renew-interval");
      }
      if (tickInterval.isNegative() || tickInterval.isZero() || batchSize < 1) {
        throw new IllegalArgumentException("tick interval and batch size must be positive");
      }
    }

    /** The production defaults: 10 s lease renewed every 2 s, a tick a second, 30 s grace. */
    public static Settings defaults() {
      return new Settings(
          Duration.ofSeconds(10),
          Duration.ofSeconds(2),
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          500);
    }
  }

  /**
   * What a tick did.
   *
   * @param leader false when this instance was not (or no longer) the leader: nothing happened
   * @param fenced true when the lease check in the transaction failed: it stepped down
   * @param schedules due schedules handled
   * @param fired executions requested
   */
  public record TickResult(boolean leader, boolean fenced, int schedules, int fired) {
    static final TickResult NOT_LEADER = new TickResult(false, false, 0, 0);
    static final TickResult FENCED = new TickResult(false, true, 0, 0);
  }

  /** A decided schedule, kept for the logs and metrics after commit. */
  private record Decided(Schedule schedule, FirePlan.Decision decision) {}

  private record Planned(
      List<Outbox.Entry> events,
      List<ScheduleRepository.Advance> advances,
      List<Decided> decided,
      Instant now) {}

  private final Pool pool;
  private final Outbox outbox;
  private final ScheduleRepository schedules;
  private final LeaderLease lease;
  private final ScheduleMetrics metrics;
  private final Settings settings;
  private final String holder;

  private final Object state = new Object();
  private Long token; // guarded by state; null: not leading
  private long leadingUntil; // System.nanoTime() deadline of the last renewal, guarded by state
  private ScheduledExecutorService leaseThread;
  private ScheduledExecutorService tickThread;
  private volatile boolean running;

  public Scheduler(
      Pool pool,
      Outbox outbox,
      ScheduleRepository schedules,
      LeaderLease lease,
      ScheduleMetrics metrics,
      Settings settings,
      String holder) {
    this.pool = pool;
    this.outbox = outbox;
    this.schedules = schedules;
    this.lease = lease;
    this.metrics = metrics;
    this.settings = settings;
    this.holder = holder;
  }

  /** This instance's id in the lease. */
  public String holder() {
    return holder;
  }

  public Settings settings() {
    return settings;
  }

  public ScheduleMetrics metrics() {
    return metrics;
  }

  /** True while this instance holds the lease (as of its last renewal) and fires schedules. */
  public boolean isLeader() {
    synchronized (state) {
      return token != null && System.nanoTime() - leadingUntil < 0;
    }
  }

  /** The fencing token this instance leads with, empty when it does not lead. */
  public OptionalLong token() {
    synchronized (state) {
      return token == null || System.nanoTime() - leadingUntil >= 0
          ? OptionalLong.empty()
          : OptionalLong.of(token);
    }
  }

  /** Starts competing for the lease and, once leading, firing. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    pool.withConnection(lease::ensure).await().atMost(Duration.ofSeconds(30));
    leaseThread = thread("schedule-lease-");
    tickThread = thread("schedule-tick-");
    leaseThread.scheduleWithFixedDelay(
        this::renewQuietly, 0, settings.renewInterval().toMillis(), TimeUnit.MILLISECONDS);
    tickThread.scheduleWithFixedDelay(
        this::tickQuietly,
        settings.tickInterval().toMillis(),
        settings.tickInterval().toMillis(),
        TimeUnit.MILLISECONDS);
    LOG.infof(
        "Scheduler %s started: lease %s ttl %s renewed every %s, tick every %s",
        holder,
        lease.name(),
        settings.leaseTtl(),
        settings.renewInterval(),
        settings.tickInterval());
  }

  /**
   * Stops firing and gives the lease up (if this instance holds it), so a standby takes over at its
   * next attempt. A renewal or tick in progress is let finish first (up to 10 s); the lease is
   * released by holder id, so even an acquisition whose answer was not seen yet is given up.
   */
  public synchronized void stop() {
    running = false;
    for (ScheduledExecutorService thread : threads()) {
      thread.shutdown();
    }
    for (ScheduledExecutorService thread : threads()) {
      try {
        if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
          thread.shutdownNow();
        }
      } catch (InterruptedException e) {
        thread.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    forget();
    try {
      OptionalLong released =
          pool.withConnection(c -> lease.release(c, holder)).await().atMost(Duration.ofSeconds(5));
      if (released.isPresent()) {
        leadership("released", released.getAsLong(), "stopping");
      }
    } catch (RuntimeException e) {
      LOG.warnf("Scheduler %s could not release its lease (it expires by itself): %s", holder, e);
    }
  }

  /**
   * Stops both threads at once without touching the lease, as a crash would: the lease stays taken
   * until it expires.
   */
  public synchronized void halt() {
    running = false;
    for (ScheduledExecutorService thread : threads()) {
      thread.shutdownNow();
    }
    for (ScheduledExecutorService thread : threads()) {
      try {
        thread.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    forget();
  }

  private List<ScheduledExecutorService> threads() {
    List<ScheduledExecutorService> threads = new ArrayList<>();
    if (leaseThread != null) {
      threads.add(leaseThread);
    }
    if (tickThread != null) {
      threads.add(tickThread);
    }
    return threads;
  }

  /** No longer leading, locally (the lease row is not touched). */
  private void forget() {
    synchronized (state) {
      token = null;
    }
    metrics.leader(false);
  }

  private ScheduledExecutorService thread(String prefix) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, prefix + holder);
          t.setDaemon(true);
          return t;
        });
  }

  // ------------------------------------------------------------------------------------ lease

  private void renewQuietly() {
    try {
      renew();
    } catch (RuntimeException e) {
      if (!running) {
        return;
      }
      boolean lapsed;
      Long was;
      synchronized (state) {
        was = token;
        lapsed = token != null && System.nanoTime() - leadingUntil >= 0;
        if (lapsed) {
          token = null;
        }
      }
      LOG.warnf("Scheduler %s could not renew or acquire the lease: %s", holder, e.toString());
      if (lapsed) {
        metrics.leader(false);
        leadership("lapsed", was, "the lease could not be renewed before it expired");
      }
    }
  }

  /**
   * One attempt to acquire or renew the lease; true when this instance leads afterwards. The local
   * deadline is counted from before the call, so it never outlasts the database's expiry.
   */
  public boolean renew() {
    long began = System.nanoTime();
    Optional<LeaderLease.Held> held =
        pool.withConnection(c -> lease.acquire(c, holder, settings.leaseTtl()))
            .await()
            .atMost(settings.leaseTtl().dividedBy(2));
    Long before;
    synchronized (state) {
      before = token;
      if (held.isPresent()) {
        token = held.get().token();
        leadingUntil = began + settings.leaseTtl().toNanos();
      } else {
        token = null;
      }
    }
    if (held.isPresent()) {
      LeaderLease.Held h = held.get();
      if (before == null || before != h.token()) {
        metrics.leader(true);
        leadership(
            "acquired",
            h.token(),
            h.previousHolder() == null || h.previousHolder().equals(holder)
                ? "the lease was free"
                : "took over from " + h.previousHolder());
      }
      return true;
    }
    if (before != null) {
      metrics.leader(false);
      leadership("lost", before, "another replica holds the lease");
    }
    return false;
  }

  private void stepDown(long fencedToken, String why) {
    boolean was;
    synchronized (state) {
      was = token != null && token == fencedToken;
      if (was) {
        token = null;
      }
    }
    if (was) {
      metrics.leader(false);
      leadership("lost", fencedToken, why);
    }
  }

  private void leadership(String change, Long leaseToken, String why) {
    MDC.put("schedule_holder", holder);
    MDC.put("schedule_leadership", change);
    if (leaseToken != null) {
      MDC.put("lease_token", leaseToken.toString());
    }
    try {
      LOG.infof(
          "Scheduler leadership %s: holder %s, lease %s, token %s (%s)",
          change, holder, lease.name(), leaseToken, why);
    } finally {
      MDC.remove("schedule_holder");
      MDC.remove("schedule_leadership");
      MDC.remove("lease_token");
    }
  }

  // ------------------------------------------------------------------------------------ ticks

  private void tickQuietly() {
    try {
      TickResult result;
      do {
        result = tick();
      } while (running && result.leader() && result.schedules() >= settings.batchSize());
    } catch (RuntimeException e) {
      if (running) {
        LOG.warnf("Scheduler %s tick failed, retrying next tick: %s", holder, e.toString());
      }
    }
  }

  /** One tick if this instance leads; {@link TickResult#NOT_LEADER} otherwise. */
  public TickResult tick() {
    OptionalLong leading = token();
    if (leading.isEmpty()) {
      return TickResult.NOT_LEADER;
    }
    return tick(leading.getAsLong());
  }

  /**
   * One tick under fencing token {@code leaseToken}: nothing fires unless the lease is still this
   * instance's with that token when the transaction checks it (the tick loop passes the current
   * token; tests pass a stale one).
   */
  public TickResult tick(long leaseToken) {
    Planned planned =
        pool.withTransaction(
                tx ->
                    lease
                        .verify(tx, holder, leaseToken)
                        .flatMap(
                            now ->
                                now.isEmpty()
                                    ? Uni.createFrom().<Planned>nullItem()
                                    : fire(tx, now.get())))
            .await()
            .atMost(TICK_TIMEOUT);
    if (planned == null) {
      stepDown(leaseToken, "fenced: the lease has another holder or token, or expired");
      return TickResult.FENCED;
    }
    int fired = 0;
    for (Decided d : planned.decided()) {
      fired += d.decision().fires().size();
      report(d, planned.now());
    }
    return new TickResult(true, false, planned.decided().size(), fired);
  }

  private Uni<Planned> fire(SqlConnection tx, Instant now) {
    Instant at = now.truncatedTo(ChronoUnit.MILLIS);
    return schedules
        .dueForUpdate(tx, at, settings.batchSize())
        .flatMap(
            due -> {
              Planned planned = plan(due, at);
              return outbox
                  .appendAll(tx, planned.events())
                  .chain(() -> schedules.advance(tx, planned.advances()))
                  .replaceWith(planned);
            });
  }

  private Planned plan(List<Schedule> due, Instant now) {
    List<Outbox.Entry> events = new ArrayList<>();
    List<ScheduleRepository.Advance> advances = new ArrayList<>();
    List<Decided> decided = new ArrayList<>();
    for (Schedule s : due) {
      Timing timing;
      try {
        timing = s.timing();
      } catch (IllegalArgumentException invalid) {
        // stored timing no longer valid (cannot happen through the API or registration): stop it
        LOG.errorf(
            "Schedule %s has an invalid timing and stops firing: %s", s.id(), invalid.getMessage());
        advances.add(new ScheduleRepository.Advance(s.id(), null, null));
        continue;
      }
      FirePlan.Decision decision = FirePlan.decide(s, timing, now, settings.misfireGrace());
      for (FirePlan.Fire fire : decision.fires()) {
        ExecutionRequestedV1 request = Fires.request(s, timing.zone(), fire, now);
        events.add(
            new Outbox.Entry(
                Topic.SCHEDULE_TRIGGERS,
                EventCodec.envelope(
                    EventTypes.EXECUTION_REQUESTED_V1,
                    outbox.source(),
                    request.executionId().toString(),
                    s.workspaceId().toString(),
                    request)));
      }
      advances.add(
          new ScheduleRepository.Advance(s.id(), decision.nextFireAt(), decision.lastFired()));
      decided.add(new Decided(s, decision));
    }
    return new Planned(events, advances, decided, now);
  }

  private void report(Decided d, Instant now) {
    FirePlan.Decision decision = d.decision();
    if (!decision.missed()) {
      for (FirePlan.Fire fire : decision.fires()) {
        metrics.fired(Duration.between(fire.slot(), now));
      }
      return;
    }
    boolean fired = !decision.fires().isEmpty();
    if (fired) {
      metrics.missedFired();
    } else {
      metrics.missedSkipped();
    }
    LOG.infof(
        "Schedule %s (workflow %s) missed %s fire time(s) from %s to %s; policy %s: %s; next %s",
        d.schedule().id(),
        d.schedule().workflowId(),
        decision.missedCount() >= FirePlan.MISSED_COUNT_CAP
            ? "at least " + decision.missedCount()
            : Integer.toString(decision.missedCount()),
        decision.missedFrom(),
        decision.missedTo(),
        d.schedule().missedFirePolicy(),
        fired ? "fired once for " + decision.missedTo() : "skipped them",
        decision.nextFireAt());
  }
}
