package io.linkflow.schedule.housekeeping;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The {@code dlq} job: handles the pending dead letters received before the run started, oldest
 * first, one transaction each with the letter locked ({@code FOR UPDATE SKIP LOCKED}, so replicas
 * and manual runs never handle one twice at once). A letter that can never succeed is parked with
 * the reason ({@link PoisonRecords}); any other is re-driven ({@link Redriver}) and marked redriven
 * once Kafka acknowledged it. Re-driving is safe because every consumer applies an event at most
 * once (libs/events Inbox, idempotent execution ids): a record re-driven twice after a crash, or
 * delivered after all, changes nothing twice. A letter whose re-drive failed stays pending (with
 * the error) for the next run, and the run's outcome is failed. Letters re-driven longer ago than
 * {@code linkflow.housekeeping.dlq.keep-redriven} are deleted.
 */
@ApplicationScoped
public class DeadLetterProcessor {

  private static final Logger LOG = Logger.getLogger(DeadLetterProcessor.class);

  private final Pool pool;
  private final DeadLetters letters;
  private final Redriver redriver;
  private final HousekeepingMetrics metrics;
  private final int maxRedrives;
  private final int maxPerRun;
  private final Duration keepRedriven;

  public DeadLetterProcessor(
      Pool pool,
      DeadLetters letters,
      Redriver redriver,
      HousekeepingMetrics metrics,
      @ConfigProperty(name = "linkflow.housekeeping.dlq.max-redrives", defaultValue = "3")
          int maxRedrives,
      @ConfigProperty(name = "linkflow.housekeeping.dlq.batch", defaultValue = "1000")
          int maxPerRun,
      @ConfigProperty(name = "linkflow.housekeeping.dlq.keep-redriven", defaultValue = "14d")
          Duration keepRedriven) {
    this.pool = pool;
    this.letters = letters;
    this.redriver = redriver;
    this.metrics = metrics;
    this.maxRedrives = maxRedrives;
    this.maxPerRun = maxPerRun;
    this.keepRedriven = keepRedriven;
  }

  /** What one run did so far. */
  private static final class Tally {
    int redriven;
    int parked;
    final List<UUID> failed = new ArrayList<>();
    String firstError;

    int handled() {
      return redriven + parked + failed.size();
    }
  }

  /** One dlq run: every letter pending when it started. */
  public Uni<JobResult> processPending() {
    return pool.withConnection(c -> c.query("SELECT now()").execute())
        .map(rows -> rows.iterator().next().getOffsetDateTime(0).toInstant())
        .flatMap(cutoff -> next(cutoff, new Tally()))
        .call(
            tally ->
                pool.withConnection(
                    c -> letters.deleteRedrivenBefore(c, Instant.now().minus(keepRedriven))))
        .call(this::refreshSize)
        .map(
            tally -> {
              Map<String, Long> items = new LinkedHashMap<>();
              items.put("redriven", (long) tally.redriven);
              items.put("parked", (long) tally.parked);
              String detail =
                  "re-drove " + tally.redriven + " dead letters, parked " + tally.parked;
              String error =
                  tally.failed.isEmpty()
                      ? null
                      : tally.failed.size()
                          + " could not be re-driven and stay pending (first: "
                          + tally.firstError
                          + ")";
              return new JobResult(items, detail, error);
            });
  }

  private Uni<Tally> next(Instant cutoff, Tally tally) {
    if (tally.handled() >= maxPerRun) {
      return Uni.createFrom().item(tally);
    }
    return pool.withTransaction(
            tx ->
                letters
                    .lockNextPending(tx, cutoff, tally.failed)
                    .flatMap(
                        found -> {
                          if (found.isEmpty()) {
                            return Uni.createFrom().item(Boolean.FALSE);
                          }
                          DeadLetter letter = found.get();
                          Optional<String> park = PoisonRecords.parkReason(letter, maxRedrives);
                          if (park.isPresent()) {
                            return letters
                                .markParked(tx, letter.id(), park.get())
                                .invoke(
                                    parked -> {
                                      tally.parked++;
                                      LOG.warnf(
                                          "Dead letter %s (%s-%d@%d) parked: %s",
                                          letter.id(),
                                          letter.originalTopic(),
                                          letter.originalPartition(),
                                          letter.originalOffset(),
                                          park.get());
                                    })
                                .replaceWith(Boolean.TRUE);
                          }
                          int count = letter.redriveCount() + 1;
                          return redriver
                              .send(letter, count)
                              .flatMap(sent -> letters.markRedriven(tx, letter.id(), count))
                              .invoke(
                                  redriven -> {
                                    tally.redriven++;
                                    LOG.infof(
                                        "Dead letter %s re-driven to %s (re-drive %d)",
                                        letter.id(), letter.originalTopic(), count);
                                  })
                              .replaceWith(Boolean.TRUE)
                              .onFailure()
                              .recoverWithUni(
                                  e -> {
                                    String error = HousekeepingRunner.describe(e);
                                    tally.failed.add(letter.id());
                                    if (tally.firstError == null) {
                                      tally.firstError = letter.id() + ": " + error;
                                    }
                                    LOG.errorf(
                                        "Dead letter %s could not be re-driven to %s: %s",
                                        letter.id(), letter.originalTopic(), error);
                                    return letters
                                        .markFailed(tx, letter.id(), error)
                                        .replaceWith(Boolean.TRUE);
                                  });
                        }))
        .flatMap(more -> more ? next(cutoff, tally) : Uni.createFrom().item(tally));
  }

  /** The outcome of a re-drive by hand. */
  public sealed interface Forced {
    record Redriven(DeadLetter letter) implements Forced {}

    record NotFound() implements Forced {}

    record Refused(String reason) implements Forced {}
  }

  /**
   * Re-drives one letter now, whatever its status and re-drive count (an operator decided); refused
   * only when there is no LinkFlow topic to send it to. Fails when Kafka does not take it.
   */
  public Uni<Forced> redrive(UUID id) {
    return pool.withTransaction(
            tx ->
                letters
                    .lock(tx, id)
                    .flatMap(
                        found -> {
                          if (found.isEmpty()) {
                            return Uni.createFrom().item((Forced) new Forced.NotFound());
                          }
                          DeadLetter letter = found.get();
                          Optional<String> refused = PoisonRecords.cannotRedrive(letter);
                          if (refused.isPresent()) {
                            return Uni.createFrom()
                                .item((Forced) new Forced.Refused(refused.get()));
                          }
                          int count = letter.redriveCount() + 1;
                          return redriver
                              .send(letter, count)
                              .flatMap(sent -> letters.markRedriven(tx, id, count))
                              .invoke(
                                  done ->
                                      LOG.infof(
                                          "Dead letter %s re-driven by hand to %s (re-drive %d, was"
                                              + " %s)",
                                          id, letter.originalTopic(), count, letter.status()))
                              .map(done -> (Forced) new Forced.Redriven(done));
                        }))
        .call(this::refreshSize);
  }

  /** Reads the number of pending letters into {@code dead_letter_queue_size}. */
  public Uni<Void> refreshSize() {
    return pool.withConnection(letters::pendingCount)
        .invoke(pending -> metrics.deadLetterQueueSize(pending))
        .replaceWithVoid()
        .onFailure()
        .recoverWithUni(
            e -> {
              LOG.debugf("dead_letter_queue_size not refreshed: %s", e.toString());
              return Uni.createFrom().voidItem();
            });
  }

  @Scheduled(
      every = "${linkflow.housekeeping.dlq.size-refresh:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> refreshSizePeriodically() {
    return refreshSize();
  }
}
