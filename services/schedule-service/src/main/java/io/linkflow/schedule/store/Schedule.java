package io.linkflow.schedule.store;

import io.linkflow.nodes.timing.Timing;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A schedule: when to request a run of a workflow.
 *
 * @param source {@link #WORKFLOW} (a Schedule Trigger node of the active version, managed from
 *     workflow.events) or {@link #API} (created through the API)
 * @param versionId the version to run (workflow source); null for API schedules: the workflow's
 *     active, else latest, version
 * @param triggerNodeId the Schedule Trigger node (workflow source); null for API schedules
 * @param cron the cron expression, or null for an interval
 * @param intervalSeconds the interval, or null for a cron expression
 * @param timezone IANA zone the expression is evaluated (and fire times shown) in
 * @param missedFirePolicy {@link #FIRE_ONCE} or {@link #SKIP}
 * @param anchorAt intervals fire at {@code anchorAt + k × interval} (k ≥ 1): when the timing was
 *     set
 * @param nextFireAt the next fire time; null when disabled or never again
 * @param lastFireAt the last time it fired (the scheduled time), null before the first
 */
public record Schedule(
    UUID id,
    UUID workspaceId,
    String source,
    UUID workflowId,
    UUID versionId,
    String triggerNodeId,
    String name,
    String cron,
    Integer intervalSeconds,
    String timezone,
    String missedFirePolicy,
    boolean enabled,
    Instant anchorAt,
    Instant nextFireAt,
    Instant lastFireAt,
    Instant createdAt,
    Instant updatedAt) {

  public static final String WORKFLOW = "workflow";
  public static final String API = "api";
  public static final String FIRE_ONCE = "fireOnce";
  public static final String SKIP = "skip";

  /** When it fires; throws {@link io.linkflow.nodes.timing.InvalidTimingException} if invalid. */
  public Timing timing() {
    return Timing.of(cron, intervalSeconds, timezone, anchorAt);
  }

  /** True when {@code other} fires at the same times (same expression or interval, same zone). */
  public boolean sameTiming(Schedule other) {
    return Objects.equals(cron, other.cron)
        && Objects.equals(intervalSeconds, other.intervalSeconds)
        && Objects.equals(timezone, other.timezone);
  }

  /** True for a schedule kept from a workflow's Schedule Trigger (the API cannot change it). */
  public boolean managedByWorkflow() {
    return WORKFLOW.equals(source);
  }
}
