package io.linkflow.schedule.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The next fire times of a schedule, or of a timing previewed without saving.
 *
 * @param scheduleId the schedule (null for a preview)
 * @param timezone the zone the times are evaluated and shown in
 * @param runs the fire times, earliest first
 */
public record NextRuns(
    UUID scheduleId, String cron, Integer intervalSeconds, String timezone, List<Run> runs) {

  /**
   * One fire time.
   *
   * @param at the instant, UTC
   * @param local the same instant with the zone's offset, e.g. {@code 2024-03-11T09:00:00-04:00}
   */
  public record Run(Instant at, String local) {}
}
