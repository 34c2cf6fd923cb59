package io.linkflow.schedule.housekeeping;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The platform housekeeping jobs. execution-service owns execution data, so it does the work of
 * {@code retention}, {@code stale} and {@code usage} when called; {@code dlq} is this service's own
 * ({@link DeadLetterProcessor}). Calls that answer {@code more: true} (work left after the callee's
 * time budget) are repeated, at most {@code linkflow.housekeeping.max-calls} times per run.
 */
@ApplicationScoped
public class HousekeepingJobs {

  /** Every job, in the order the documentation lists them. */
  public static final List<String> NAMES = List.of("retention", "dlq", "stale", "usage");

  private final ExecutionHousekeepingClient execution;
  private final DeadLetterProcessor deadLetters;
  private final int maxCalls;

  public HousekeepingJobs(
      ExecutionHousekeepingClient execution,
      DeadLetterProcessor deadLetters,
      @ConfigProperty(name = "linkflow.housekeeping.max-calls", defaultValue = "100")
          int maxCalls) {
    this.execution = execution;
    this.deadLetters = deadLetters;
    this.maxCalls = maxCalls;
  }

  public static boolean exists(String job) {
    return NAMES.contains(job);
  }

  /** Runs {@code job} once, to the end. */
  public Uni<JobResult> run(String job) {
    return switch (job) {
      case "retention" ->
          repeat("retention", new Totals(), 0)
              .map(
                  t ->
                      JobResult.of(
                          "deleted",
                          t.sum("deleted"),
                          "deleted "
                              + t.sum("deleted")
                              + " executions past their retention"
                              + t.suffix(maxCalls)));
      case "stale" ->
          execution
              .run("stale", null)
              .map(
                  answer -> {
                    long requeued = answer.getLong("requeued", 0L);
                    return JobResult.of(
                        "requeued", requeued, "re-queued " + requeued + " stale executions");
                  });
      case "usage" ->
          repeat("usage", new Totals(), 0)
              .map(
                  t ->
                      JobResult.of(
                          "rows",
                          t.sum("rows"),
                          "rolled up "
                              + t.sum("hours")
                              + " hours"
                              + (t.first == null
                                  ? ""
                                  : " [" + t.first.getString("from") + ", " + t.lastTo + ")")
                              + " into "
                              + t.sum("rows")
                              + " usage rows"
                              + t.suffix(maxCalls)));
      case "dlq" -> deadLetters.processPending();
      default -> Uni.createFrom().failure(new IllegalArgumentException("no job " + job));
    };
  }

  /** Calls {@code job} until it answers {@code more: false} (or {@code max-calls} times). */
  private Uni<Totals> repeat(String job, Totals totals, int calls) {
    return execution
        .run(job, null)
        .flatMap(
            answer -> {
              totals.add(answer);
              if (answer.getBoolean("more", false) && calls + 1 < maxCalls) {
                return repeat(job, totals, calls + 1);
              }
              totals.more = answer.getBoolean("more", false);
              return Uni.createFrom().item(totals);
            });
  }

  /** Sums of the numeric fields of repeated answers. */
  private static final class Totals {
    final Map<String, Long> sums = new LinkedHashMap<>();
    JsonObject first;
    String lastTo;
    boolean more;

    void add(JsonObject answer) {
      if (first == null) {
        first = answer;
      }
      lastTo = answer.getString("to", lastTo);
      for (String field : List.of("deleted", "hours", "rows")) {
        if (answer.containsKey(field)) {
          sums.merge(field, answer.getLong(field, 0L), Long::sum);
        }
      }
    }

    long sum(String field) {
      return sums.getOrDefault(field, 0L);
    }

    String suffix(int maxCalls) {
      return more ? "; more is left after " + maxCalls + " calls (the next run continues)" : "";
    }
  }
}
