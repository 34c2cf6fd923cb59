package io.linkflow.schedule.rest;

import io.linkflow.schedule.store.Schedule;
import java.time.Instant;
import java.util.UUID;

/**
 * A schedule as the API shows it.
 *
 * @param source {@code workflow} (kept from a Schedule Trigger of the workflow's active version;
 *     read-only here) or {@code api}
 * @param versionId the version a workflow schedule runs; null for API schedules (the workflow's
 *     active, else latest, version at each fire)
 * @param triggerNodeId the Schedule Trigger node of a workflow schedule; null for API schedules
 * @param nextFireAt the next fire time; null when disabled or it never fires again
 * @param lastFireAt the fire time it last fired for
 */
public record ScheduleView(
    UUID id,
    String name,
    String source,
    UUID workflowId,
    UUID versionId,
    String triggerNodeId,
    String cron,
    Integer intervalSeconds,
    String timezone,
    String missedFirePolicy,
    boolean enabled,
    Instant nextFireAt,
    Instant lastFireAt,
    Instant createdAt,
    Instant updatedAt) {

  static ScheduleView of(Schedule s) {
    return new ScheduleView(
        s.id(),
        s.name(),
        s.source(),
        s.workflowId(),
        s.versionId(),
        s.triggerNodeId(),
        s.cron(),
        s.intervalSeconds(),
        s.timezone(),
        s.missedFirePolicy(),
        s.enabled(),
        s.nextFireAt(),
        s.lastFireAt(),
        s.createdAt(),
        s.updatedAt());
  }
}
