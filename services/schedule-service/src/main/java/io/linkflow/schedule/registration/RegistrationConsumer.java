package io.linkflow.schedule.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.inbox.Inbox;
import io.linkflow.events.payload.WorkflowActivatedV1;
import io.linkflow.events.payload.WorkflowChangedV1;
import io.linkflow.events.payload.WorkflowDeactivatedV1;
import io.linkflow.nodes.timing.InvalidTimingException;
import io.linkflow.nodes.timing.Timing;
import io.linkflow.schedule.firing.ScheduleMetrics;
import io.linkflow.schedule.rest.ScheduleService;
import io.linkflow.schedule.store.Schedule;
import io.linkflow.schedule.store.ScheduleRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the workflow schedules in step with workflow.events, once per event (inbox):
 *
 * <ul>
 *   <li>{@code workflow.activated}: the workflow's schedules become its Schedule Trigger nodes of
 *       the version now active (the event lists only enabled trigger nodes). A trigger whose timing
 *       (cron, interval, zone) is unchanged keeps its schedule id and next fire time; a changed one
 *       is rescheduled from now; a removed one is deleted.
 *   <li>{@code workflow.deactivated}: they are deleted.
 *   <li>{@code workflow.deleted}: they are deleted, and the API schedules of the workflow are
 *       disabled (kept, so nothing a user configured disappears silently).
 * </ul>
 *
 * A trigger that cannot be scheduled (a cron that does not parse, an unknown zone, both or neither
 * of cron and interval — expressions cannot be evaluated here) is skipped with a warning and
 * counted in {@code schedule_registration_errors_total}; the workflow's other triggers are
 * registered and the consumer goes on.
 */
@ApplicationScoped
public class RegistrationConsumer {

  static final String CONSUMER = "schedule-service.registrations";
  public static final String SCHEDULE_TYPE = "linkflow.scheduleTrigger";
  private static final Logger LOG = Logger.getLogger(RegistrationConsumer.class);

  private final Pool pool;
  private final Inbox inbox;
  private final ScheduleRepository schedules;
  private final ScheduleMetrics metrics;
  private final ObjectMapper mapper;

  public RegistrationConsumer(
      Pool pool,
      Inbox inbox,
      ScheduleRepository schedules,
      ScheduleMetrics metrics,
      ObjectMapper mapper) {
    this.pool = pool;
    this.inbox = inbox;
    this.schedules = schedules;
    this.metrics = metrics;
    this.mapper = mapper;
  }

  /** What an activation changed, for the log line. */
  record Outcome(int kept, int rescheduled, int added, int removed) {}

  @Incoming("workflow-events")
  public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
    EventEnvelope event = CloudEventHeaders.fromHeaders(record.headers(), record.value());
    if (EventTypes.WORKFLOW_ACTIVATED_V1.cloudEventType().equals(event.type())) {
      WorkflowActivatedV1 activated = EventCodec.read(EventTypes.WORKFLOW_ACTIVATED_V1, event);
      UUID workspace = UUID.fromString(event.workspaceId());
      List<Schedule> wanted = schedulesOf(workspace, activated);
      return inbox
          .once(pool, CONSUMER, event, tx -> replace(tx, workspace, activated.workflowId(), wanted))
          .invoke(
              done ->
                  done.ifPresent(
                      outcome ->
                          LOG.infof(
                              "Workflow %s version %s active: %d schedule(s) (%d kept, %d"
                                  + " rescheduled, %d added, %d removed)",
                              activated.workflowId(),
                              activated.versionId(),
                              wanted.size(),
                              outcome.kept(),
                              outcome.rescheduled(),
                              outcome.added(),
                              outcome.removed())))
          .replaceWithVoid();
    }
    if (EventTypes.WORKFLOW_DEACTIVATED_V1.cloudEventType().equals(event.type())) {
      WorkflowDeactivatedV1 deactivated =
          EventCodec.read(EventTypes.WORKFLOW_DEACTIVATED_V1, event);
      UUID workspace = UUID.fromString(event.workspaceId());
      return inbox
          .once(
              pool,
              CONSUMER,
              event,
              tx -> schedules.removeWorkflowSchedules(tx, workspace, deactivated.workflowId()))
          .invoke(
              removed ->
                  removed.ifPresent(
                      n ->
                          LOG.infof(
                              "Workflow %s inactive: %d schedule(s) removed",
                              deactivated.workflowId(), n)))
          .replaceWithVoid();
    }
    if (EventTypes.WORKFLOW_DELETED_V1.cloudEventType().equals(event.type())) {
      WorkflowChangedV1 deleted = EventCodec.read(EventTypes.WORKFLOW_DELETED_V1, event);
      UUID workspace = UUID.fromString(event.workspaceId());
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      return inbox
          .once(
              pool,
              CONSUMER,
              event,
              tx ->
                  schedules
                      .removeWorkflowSchedules(tx, workspace, deleted.workflowId())
                      .flatMap(
                          removed ->
                              schedules
                                  .disableApiSchedules(tx, workspace, deleted.workflowId(), now)
                                  .map(disabled -> new int[] {removed, disabled})))
          .invoke(
              done ->
                  done.ifPresent(
                      counts ->
                          LOG.infof(
                              "Workflow %s deleted: %d workflow schedule(s) removed, %d API"
                                  + " schedule(s) disabled",
                              deleted.workflowId(), counts[0], counts[1])))
          .replaceWithVoid();
    }
    return Uni.createFrom().voidItem();
  }

  /**
   * Makes the workflow's schedules {@code wanted}: same trigger and timing → kept (next fire time
   * too), same trigger with another timing → rescheduled from now, new trigger → added, gone →
   * removed.
   */
  Uni<Outcome> replace(SqlConnection tx, UUID workspace, UUID workflowId, List<Schedule> wanted) {
    return schedules
        .ofWorkflowForUpdate(tx, workspace, workflowId)
        .flatMap(
            existing -> {
              Map<String, Schedule> byNode = new HashMap<>();
              existing.forEach(s -> byNode.put(s.triggerNodeId(), s));
              Set<String> wantedNodes =
                  wanted.stream().map(Schedule::triggerNodeId).collect(Collectors.toSet());
              List<UUID> removed =
                  existing.stream()
                      .filter(s -> !wantedNodes.contains(s.triggerNodeId()))
                      .map(Schedule::id)
                      .toList();
              List<Schedule> added = new ArrayList<>();
              List<Schedule> updated = new ArrayList<>();
              int kept = 0;
              for (Schedule w : wanted) {
                Schedule old = byNode.get(w.triggerNodeId());
                if (old == null) {
                  added.add(w);
                } else if (old.sameTiming(w)) {
                  kept++;
                  updated.add(keep(old, w));
                } else {
                  updated.add(reschedule(old, w));
                }
              }
              int keptCount = kept;
              Uni<Void> chained = Uni.createFrom().voidItem();
              for (Schedule u : updated) {
                chained = chained.chain(() -> schedules.update(tx, u).replaceWithVoid());
              }
              Uni<Void> updates = chained;
              return schedules
                  .deleteAll(tx, removed)
                  .chain(() -> schedules.insertAll(tx, added))
                  .chain(() -> updates)
                  .replaceWith(
                      new Outcome(
                          keptCount, updated.size() - keptCount, added.size(), removed.size()));
            });
  }

  /** The old schedule (id, anchor, next and last fire time) with the new version's other fields. */
  private static Schedule keep(Schedule old, Schedule w) {
    return new Schedule(
        old.id(),
        old.workspaceId(),
        old.source(),
        old.workflowId(),
        w.versionId(),
        old.triggerNodeId(),
        w.name(),
        old.cron(),
        old.intervalSeconds(),
        old.timezone(),
        w.missedFirePolicy(),
        true,
        old.anchorAt(),
        old.nextFireAt(),
        old.lastFireAt(),
        old.createdAt(),
        w.updatedAt());
  }

  /** The old schedule's id and history with the new timing, rescheduled from now. */
  private static Schedule reschedule(Schedule old, Schedule w) {
    return new Schedule(
        old.id(),
        old.workspaceId(),
        old.source(),
        old.workflowId(),
        w.versionId(),
        old.triggerNodeId(),
        w.name(),
        w.cron(),
        w.intervalSeconds(),
        w.timezone(),
        w.missedFirePolicy(),
        true,
        w.anchorAt(),
        w.nextFireAt(),
        old.lastFireAt(),
        old.createdAt(),
        w.updatedAt());
  }

  /**
   * The schedules the version's Schedule Trigger nodes ask for, each with its next fire time from
   * now; triggers that cannot be scheduled are left out (warning, metric).
   */
  List<Schedule> schedulesOf(UUID workspace, WorkflowActivatedV1 activated) {
    List<Schedule> out = new ArrayList<>();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    for (WorkflowActivatedV1.Trigger trigger : activated.triggers()) {
      if (!SCHEDULE_TYPE.equals(trigger.type())) {
        continue;
      }
      try {
        out.add(schedule(workspace, activated, trigger, now));
      } catch (InvalidTimingException e) {
        String reason = e.field().isEmpty() ? "timing" : e.field();
        metrics.registrationError(reason);
        LOG.warnf(
            "Workflow %s version %s: Schedule Trigger %s not scheduled (%s: %s)",
            activated.workflowId(),
            activated.versionId(),
            trigger.nodeId(),
            reason,
            e.getMessage());
      }
    }
    return out;
  }

  private Schedule schedule(
      UUID workspace,
      WorkflowActivatedV1 activated,
      WorkflowActivatedV1.Trigger trigger,
      Instant now) {
    JsonNode p = parameters(trigger);
    String cron = textOrNull(p.get("cron"), "cron");
    Integer interval = null;
    JsonNode intervalNode = p.get("intervalSeconds");
    if (intervalNode != null && !intervalNode.isNull()) {
      if (!intervalNode.isIntegralNumber() || !intervalNode.canConvertToInt()) {
        throw new InvalidTimingException("intervalSeconds", "must be an integer");
      }
      interval = intervalNode.intValue();
    }
    String timezone = textOrNull(p.get("timezone"), "timezone");
    String zone = timezone == null ? "UTC" : timezone.strip();
    String policy = p.path("missedFirePolicy").asText(Schedule.FIRE_ONCE);
    if (!Schedule.FIRE_ONCE.equals(policy) && !Schedule.SKIP.equals(policy)) {
      throw new InvalidTimingException("missedFirePolicy", "must be fireOnce or skip");
    }
    if (cron != null && cron.contains("{{")) {
      throw new InvalidTimingException(
          "cron", "expressions are not evaluated in a Schedule Trigger's cron");
    }
    Timing.of(cron, interval, zone, now); // throws when it cannot be scheduled
    Schedule s =
        new Schedule(
            UUID.randomUUID(),
            workspace,
            Schedule.WORKFLOW,
            activated.workflowId(),
            activated.versionId(),
            trigger.nodeId(),
            trigger.nodeId(),
            cron == null ? null : cron.strip(),
            interval,
            zone,
            policy,
            true,
            now,
            null,
            null,
            now,
            now);
    return ScheduleService.withNextFire(s, now);
  }

  private static String textOrNull(JsonNode value, String field) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidTimingException(field, "must be a string");
    }
    return value.asText();
  }

  private JsonNode parameters(WorkflowActivatedV1.Trigger trigger) {
    try {
      JsonNode p = mapper.readTree(trigger.parameters() == null ? "{}" : trigger.parameters());
      if (!p.isObject()) {
        throw new InvalidTimingException("", "the trigger's parameters are not a JSON object");
      }
      return p;
    } catch (java.io.IOException e) {
      throw new InvalidTimingException("", "the trigger's parameters are not JSON");
    }
  }
}
