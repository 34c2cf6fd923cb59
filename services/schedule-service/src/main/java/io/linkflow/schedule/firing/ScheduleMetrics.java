package io.linkflow.schedule.firing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scheduler's series (Prometheus names): {@code schedule_fires_total{outcome=fired|
 * missed_fired|missed_skipped}}, {@code schedule_fire_lag_seconds} (histogram: from a fire time to
 * its fire), {@code schedule_leader} (1 while this replica leads), {@code
 * schedule_leader_changes_total{change=acquired|lost}} and {@code
 * schedule_registration_errors_total{reason}} (Schedule Triggers that could not be registered).
 */
@Singleton
public class ScheduleMetrics {

  private final MeterRegistry registry;
  private final Counter fired;
  private final Counter missedFired;
  private final Counter missedSkipped;
  private final Counter acquired;
  private final Counter lost;
  private final Timer lag;
  private final AtomicInteger leader = new AtomicInteger();

  public ScheduleMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.fired = fires(registry, "fired");
    this.missedFired = fires(registry, "missed_fired");
    this.missedSkipped = fires(registry, "missed_skipped");
    this.acquired = changes(registry, "acquired");
    this.lost = changes(registry, "lost");
    this.lag =
        Timer.builder("schedule.fire.lag")
            .description("From a schedule's fire time to the transaction that fired it")
            .serviceLevelObjectives(
                Duration.ofMillis(100),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofSeconds(15),
                Duration.ofSeconds(30),
                Duration.ofMinutes(1),
                Duration.ofMinutes(5))
            .register(registry);
    Gauge.builder("schedule.leader", leader, AtomicInteger::get)
        .description("1 while this replica holds the scheduler lease and fires schedules, else 0")
        .register(registry);
  }

  private static Counter fires(MeterRegistry registry, String outcome) {
    return Counter.builder("schedule.fires")
        .description("Schedule fire times handled, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  private static Counter changes(MeterRegistry registry, String change) {
    return Counter.builder("schedule.leader.changes")
        .description("Times this replica became leader (acquired) or stopped being it (lost)")
        .tag("change", change)
        .register(registry);
  }

  void fired(Duration lateBy) {
    fired.increment();
    lag.record(lateBy.isNegative() ? Duration.ZERO : lateBy);
  }

  void missedFired() {
    missedFired.increment();
  }

  void missedSkipped() {
    missedSkipped.increment();
  }

  void leader(boolean leading) {
    if (leader.getAndSet(leading ? 1 : 0) != (leading ? 1 : 0)) {
      (leading ? acquired : lost).increment();
    }
  }

  /** A Schedule Trigger that could not be registered, by {@code reason} (cron, timezone, …). */
  public void registrationError(String reason) {
    Counter.builder("schedule.registration.errors")
        .description("Schedule Triggers of activated workflows that could not be registered")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /** Fires counted so far with {@code outcome} (for tests and drills). */
  public double fires(String outcome) {
    return switch (outcome) {
      case "fired" -> fired.count();
      case "missed_fired" -> missedFired.count();
      case "missed_skipped" -> missedSkipped.count();
      default -> throw new IllegalArgumentException(outcome);
    };
  }

  /** Leadership changes of this replica so far ({@code acquired} or {@code lost}). */
  public double leaderChanges(String change) {
    return "acquired".equals(change) ? acquired.count() : lost.count();
  }

  /** 1 while leading. */
  public int leader() {
    return leader.get();
  }
}
