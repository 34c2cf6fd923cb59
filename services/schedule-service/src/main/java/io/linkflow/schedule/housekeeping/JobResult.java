package io.linkflow.schedule.housekeeping;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a housekeeping job did.
 *
 * @param items counts by kind (deleted, requeued, rows, redriven, parked), in a stable order
 * @param detail one line for the run's record and log
 * @param error why the run failed although it did part of its work (e.g. some dead letters could
 *     not be re-driven), or null; a job that fails outright throws instead
 */
public record JobResult(Map<String, Long> items, String detail, String error) {

  public JobResult {
    items = Map.copyOf(new LinkedHashMap<>(items));
  }

  public static JobResult of(String kind, long count, String detail) {
    return new JobResult(Map.of(kind, count), detail, null);
  }

  /** Everything the run did, all kinds together. */
  public long total() {
    return items.values().stream().mapToLong(Long::longValue).sum();
  }
}
