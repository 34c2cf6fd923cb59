package io.linkflow.schedule.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.common.error.Problem;
import io.linkflow.common.error.ProblemException;
import io.linkflow.common.paging.Cursor;
import io.linkflow.common.paging.Page;
import io.linkflow.common.paging.PageRequest;
import io.linkflow.nodes.timing.Timing;
import io.linkflow.schedule.store.Schedule;
import io.linkflow.schedule.store.ScheduleRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * The API's schedules: create, change and delete API schedules (workflow schedules are read-only
 * here: 409), list and read any, and compute next fire times. A change of timing (cron, interval,
 * zone) or of {@code enabled} recomputes the next fire time from now.
 */
@ApplicationScoped
public class ScheduleService {

  private static final Logger LOG = Logger.getLogger(ScheduleService.class);

  /** Next runs shown at most. */
  static final int MAX_COUNT = 100;

  private final Pool pool;
  private final ScheduleRepository schedules;

  public ScheduleService(Pool pool, ScheduleRepository schedules) {
    this.pool = pool;
    this.schedules = schedules;
  }

  public Uni<Schedule> create(UUID workspaceId, ObjectNode body) {
    List<Problem.FieldError> errors = new ArrayList<>();
    ScheduleInput input = ScheduleInput.whole(body, errors);
    invalidIf(errors);
    Instant now = now();
    Schedule schedule =
        new Schedule(
            UUID.randomUUID(),
            workspaceId,
            Schedule.API,
            input.workflowId(),
            null,
            null,
            input.name(),
            input.cron(),
            input.intervalSeconds(),
            input.timezone(),
            input.missedFirePolicy(),
            input.enabled(),
            now,
            null,
            null,
            now,
            now);
    Schedule created = withNextFire(schedule, now);
    return pool.withConnection(c -> schedules.insert(c, created))
        .replaceWith(created)
        .invoke(
            s ->
                LOG.infof(
                    "Schedule %s created for workflow %s: %s, next %s",
                    s.id(), s.workflowId(), timingText(s), s.nextFireAt()));
  }

  /** PUT: every field from {@code body} (absent optional ones take their defaults). */
  public Uni<Schedule> replace(UUID workspaceId, UUID id, ObjectNode body) {
    return change(workspaceId, id, (current, errors) -> ScheduleInput.whole(body, errors));
  }

  /** PATCH: {@code current} changed by the fields in {@code patch} (JSON merge patch). */
  public Uni<Schedule> patch(UUID workspaceId, UUID id, ObjectNode patch) {
    return change(
        workspaceId, id, (current, errors) -> ScheduleInput.patch(current, patch, errors));
  }

  private Uni<Schedule> change(
      UUID workspaceId,
      UUID id,
      BiFunction<Schedule, List<Problem.FieldError>, ScheduleInput> read) {
    return pool.withTransaction(
        tx ->
            schedules
                .findForUpdate(tx, workspaceId, id)
                .flatMap(
                    found -> {
                      Schedule current = writable(found);
                      List<Problem.FieldError> errors = new ArrayList<>();
                      ScheduleInput input = read.apply(current, errors);
                      invalidIf(errors);
                      Schedule changed = changed(current, input, now());
                      return schedules.update(tx, changed).replaceWith(changed);
                    }));
  }

  /**
   * {@code current} with the fields of {@code input}; the next fire time is recomputed when the
   * timing or {@code enabled} changes (an interval is anchored again when its timing changes).
   */
  static Schedule changed(Schedule current, ScheduleInput input, Instant now) {
    Schedule next =
        new Schedule(
            current.id(),
            current.workspaceId(),
            current.source(),
            input.workflowId(),
            current.versionId(),
            current.triggerNodeId(),
            input.name(),
            input.cron(),
            input.intervalSeconds(),
            input.timezone(),
            input.missedFirePolicy(),
            input.enabled(),
            current.anchorAt(),
            current.nextFireAt(),
            current.lastFireAt(),
            current.createdAt(),
            now);
    boolean timingChanged = !next.sameTiming(current);
    if (timingChanged) {
      next = withAnchor(next, now);
    }
    if (timingChanged || next.enabled() != current.enabled()) {
      next = withNextFire(next, now);
    }
    return next;
  }

  public Uni<Void> delete(UUID workspaceId, UUID id) {
    return pool.withTransaction(
        tx ->
            schedules
                .findForUpdate(tx, workspaceId, id)
                .flatMap(
                    found -> {
                      Schedule current = writable(found);
                      return schedules.delete(tx, workspaceId, current.id());
                    })
                .replaceWithVoid());
  }

  public Uni<Schedule> get(UUID workspaceId, UUID id) {
    return pool.withConnection(c -> schedules.find(c, workspaceId, id))
        .map(found -> found.orElseThrow(ScheduleService::notFound));
  }

  public Uni<Page<Schedule>> list(
      UUID workspaceId, UUID workflowId, String source, PageRequest page) {
    return pool.withConnection(c -> schedules.list(c, workspaceId, workflowId, source, page))
        .map(
            rows ->
                Page.of(rows, page, s -> new Cursor(s.createdAt().toString(), s.id().toString())));
  }

  /**
   * The next {@code count} fire times of a stored schedule: from its next fire time when enabled
   * (even an overdue one the leader is about to fire), else from now.
   */
  public Uni<NextRuns> nextRuns(UUID workspaceId, UUID id, int count) {
    return get(workspaceId, id)
        .map(
            s -> {
              Timing timing = s.timing();
              List<Instant> times = new ArrayList<>();
              Instant first =
                  s.enabled() && s.nextFireAt() != null
                      ? s.nextFireAt()
                      : timing.nextAfter(now()).orElse(null);
              if (first != null) {
                times.add(first);
              }
              times.addAll(runsAfter(timing, first, count - times.size()));
              return new NextRuns(
                  s.id(), s.cron(), s.intervalSeconds(), s.timezone(), runs(timing, times));
            });
  }

  /** The next {@code count} fire times of a timing that is not saved (an interval from now). */
  public static NextRuns preview(String cron, Integer intervalSeconds, String timezone, int count) {
    Instant now = now();
    Timing timing = Timing.of(cron, intervalSeconds, timezone, now);
    return new NextRuns(
        null,
        cron == null ? null : cron.strip(),
        intervalSeconds,
        timing.zone().getId(),
        runs(timing, runsAfter(timing, now, count)));
  }

  private static List<Instant> runsAfter(Timing timing, Instant after, int count) {
    List<Instant> out = new ArrayList<>();
    Instant at = after;
    while (at != null && out.size() < count) {
      at = timing.nextAfter(at).orElse(null);
      if (at != null) {
        out.add(at);
      }
    }
    return out;
  }

  private static List<NextRuns.Run> runs(Timing timing, List<Instant> times) {
    return times.stream()
        .map(
            t ->
                new NextRuns.Run(
                    t,
                    DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        OffsetDateTime.ofInstant(t, timing.zone()))))
        .toList();
  }

  /** The schedule, if it exists and the API may change it: 404, or 409 for a workflow's. */
  private static Schedule writable(Optional<Schedule> found) {
    Schedule current = found.orElseThrow(ScheduleService::notFound);
    if (current.managedByWorkflow()) {
      throw new ProblemException(
          Problem.of(
              409,
              "This schedule is managed by workflow "
                  + current.workflowId()
                  + ": change its Schedule Trigger (node "
                  + current.triggerNodeId()
                  + ") in the workflow instead."));
    }
    return current;
  }

  static ProblemException notFound() {
    return new ProblemException(404, "No such schedule in this workspace.");
  }

  static void invalidIf(List<Problem.FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new ProblemException(
          Problem.of(422, "The schedule is not valid; see errors.")
              .withErrors(List.copyOf(errors)));
    }
  }

  static Schedule withAnchor(Schedule s, Instant anchor) {
    return new Schedule(
        s.id(),
        s.workspaceId(),
        s.source(),
        s.workflowId(),
        s.versionId(),
        s.triggerNodeId(),
        s.name(),
        s.cron(),
        s.intervalSeconds(),
        s.timezone(),
        s.missedFirePolicy(),
        s.enabled(),
        anchor,
        s.nextFireAt(),
        s.lastFireAt(),
        s.createdAt(),
        s.updatedAt());
  }

  /** {@code s} with its next fire time after {@code now} (null when disabled or never). */
  public static Schedule withNextFire(Schedule s, Instant now) {
    Instant next = s.enabled() ? s.timing().nextAfter(now).orElse(null) : null;
    return new Schedule(
        s.id(),
        s.workspaceId(),
        s.source(),
        s.workflowId(),
        s.versionId(),
        s.triggerNodeId(),
        s.name(),
        s.cron(),
        s.intervalSeconds(),
        s.timezone(),
        s.missedFirePolicy(),
        s.enabled(),
        s.anchorAt(),
        next,
        s.lastFireAt(),
        s.createdAt(),
        s.updatedAt());
  }

  static String timingText(Schedule s) {
    return (s.cron() != null ? "cron " + s.cron() : "every " + s.intervalSeconds() + " s")
        + " in "
        + s.timezone();
  }

  /** Now, to the millisecond (what PostgreSQL stores exactly and cursors compare). */
  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
