package io.linkflow.schedule.housekeeping;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The housekeeping series (Prometheus names): {@code housekeeping_runs_total{job,outcome}}, {@code
 * housekeeping_run_duration_seconds{job}} (count, sum, max), {@code
 * housekeeping_items_total{job,kind}} (kind: deleted, requeued, rows, redriven, parked), {@code
 * housekeeping_last_success_timestamp_seconds{job}} (unix time of the last successful run this
 * replica knows of, from the database at start-up) and {@code dead_letter_queue_size} (pending dead
 * letters, the same on every replica: it is read from the database).
 */
@Singleton
public class HousekeepingMetrics {

  private final MeterRegistry registry;
  private final Map<String, AtomicReference<Double>> lastSuccess = new ConcurrentHashMap<>();
  private final AtomicLong deadLetterQueueSize = new AtomicLong();

  public HousekeepingMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("dead_letter_queue_size", deadLetterQueueSize, AtomicLong::get)
        .description("Dead letters of dlq.events waiting to be re-driven or parked")
        .register(registry);
    for (String job : HousekeepingJobs.NAMES) {
      lastSuccess(job);
    }
  }

  /** One finished run: its outcome, how long it took, and what it did by kind. */
  public void recordRun(String job, String outcome, Duration took, Map<String, Long> items) {
    Counter.builder("housekeeping.runs")
        .description("Housekeeping runs, by job and outcome")
        .tag("job", job)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
    Timer.builder("housekeeping.run.duration")
        .description("How long housekeeping runs took, by job")
        .tag("job", job)
        .register(registry)
        .record(took);
    items.forEach(
        (kind, n) ->
            Counter.builder("housekeeping.items")
                .description(
                    "What housekeeping runs did, by job and kind (deleted, requeued, rows,"
                        + " redriven, parked)")
                .tag("job", job)
                .tag("kind", kind)
                .register(registry)
                .increment(n));
    if (HousekeepingRuns.SUCCEEDED.equals(outcome)) {
      succeeded(job, Instant.now());
    }
  }

  /** The last successful run of {@code job} finished at {@code at} (if later than known). */
  public void succeeded(String job, Instant at) {
    double seconds = at.toEpochMilli() / 1000.0;
    lastSuccess(job).accumulateAndGet(seconds, Math::max);
  }

  public void deadLetterQueueSize(long pending) {
    deadLetterQueueSize.set(pending);
  }

  private AtomicReference<Double> lastSuccess(String job) {
    return lastSuccess.computeIfAbsent(
        job,
        name -> {
          AtomicReference<Double> value = new AtomicReference<>(0.0);
          Gauge.builder("housekeeping.last.success.timestamp.seconds", value, AtomicReference::get)
              .description(
                  "Unix time of the last successful run of the job (0: none yet); alert when it"
                      + " falls behind the job's schedule")
              .tag("job", name)
              .register(registry);
          return value;
        });
  }
}
