package io.linkflow.schedule.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.common.error.Problem;
import io.linkflow.nodes.timing.Cron;
import io.linkflow.nodes.timing.InvalidTimingException;
import io.linkflow.nodes.timing.Timing;
import io.linkflow.schedule.store.Schedule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The fields of an API schedule as a request gives them, checked all at once: every problem is a
 * {@link Problem.FieldError} with a JSON pointer into the body.
 *
 * @param name 1–200 characters
 * @param workflowId the workflow to run (its active, else latest, version)
 * @param cron a cron expression (5 fields, or 6 with seconds first), or null
 * @param intervalSeconds an interval of 1 s to 365 days, or null; exactly one of the two
 * @param timezone an IANA zone (default UTC)
 * @param missedFirePolicy {@code fireOnce} (default) or {@code skip}
 * @param enabled whether it fires (default true)
 */
public record ScheduleInput(
    String name,
    UUID workflowId,
    String cron,
    Integer intervalSeconds,
    String timezone,
    String missedFirePolicy,
    boolean enabled) {

  static final int MAX_NAME = 200;

  /** Fields a schedule shows but a request cannot set; sent back in a PUT, they are ignored. */
  static final Set<String> READ_ONLY =
      Set.of(
          "id",
          "source",
          "versionId",
          "triggerNodeId",
          "nextFireAt",
          "lastFireAt",
          "createdAt",
          "updatedAt");

  static final Set<String> FIELDS =
      Set.of(
          "name",
          "workflowId",
          "cron",
          "intervalSeconds",
          "timezone",
          "missedFirePolicy",
          "enabled");

  /** The fields of a whole schedule (POST, PUT): absent optional fields take their defaults. */
  static ScheduleInput whole(ObjectNode body, List<Problem.FieldError> errors) {
    unknown(body, errors);
    return check(
        text(body, "name", errors),
        uuid(body, "workflowId", errors),
        text(body, "cron", errors),
        integer(body, "intervalSeconds", errors),
        text(body, "timezone", errors),
        text(body, "missedFirePolicy", errors),
        bool(body, "enabled", errors),
        body.has("name") && !body.get("name").isNull(),
        body.has("workflowId") && !body.get("workflowId").isNull(),
        errors);
  }

  /**
   * {@code current} changed by the fields {@code patch} has (JSON merge patch): a field set to null
   * takes its default (cron and intervalSeconds: none); setting one of cron and intervalSeconds
   * clears the other unless the patch names both.
   */
  static ScheduleInput patch(Schedule current, ObjectNode patch, List<Problem.FieldError> errors) {
    unknown(patch, errors);
    String cron = current.cron();
    Integer interval = current.intervalSeconds();
    if (patch.has("cron")) {
      cron = text(patch, "cron", errors);
      if (cron != null && !patch.has("intervalSeconds")) {
        interval = null;
      }
    }
    if (patch.has("intervalSeconds")) {
      interval = integer(patch, "intervalSeconds", errors);
      if (interval != null && !patch.has("cron")) {
        cron = null;
      }
    }
    for (String required : List.of("name", "workflowId", "enabled")) {
      if (patch.has(required) && patch.get(required).isNull()) {
        errors.add(new Problem.FieldError("/" + required, "cannot be null"));
      }
    }
    return check(
        patch.has("name") ? text(patch, "name", errors) : current.name(),
        patch.has("workflowId") ? uuid(patch, "workflowId", errors) : current.workflowId(),
        cron,
        interval,
        patch.has("timezone") ? text(patch, "timezone", errors) : current.timezone(),
        patch.has("missedFirePolicy")
            ? text(patch, "missedFirePolicy", errors)
            : current.missedFirePolicy(),
        patch.has("enabled") ? bool(patch, "enabled", errors) : Boolean.valueOf(current.enabled()),
        true,
        true,
        errors);
  }

  private static ScheduleInput check(
      String name,
      UUID workflowId,
      String cron,
      Integer intervalSeconds,
      String timezone,
      String missedFirePolicy,
      Boolean enabled,
      boolean hasName,
      boolean hasWorkflow,
      List<Problem.FieldError> errors) {
    if (!hasName) {
      errors.add(new Problem.FieldError("/name", "required"));
    } else if (name != null && (name.isBlank() || name.strip().length() > MAX_NAME)) {
      errors.add(new Problem.FieldError("/name", "1 to " + MAX_NAME + " characters"));
    }
    if (!hasWorkflow) {
      errors.add(new Problem.FieldError("/workflowId", "required"));
    }
    timingErrors(cron, intervalSeconds, timezone, "/", errors);
    String policy = missedFirePolicy == null ? Schedule.FIRE_ONCE : missedFirePolicy;
    if (!Schedule.FIRE_ONCE.equals(policy) && !Schedule.SKIP.equals(policy)) {
      errors.add(new Problem.FieldError("/missedFirePolicy", "one of fireOnce, skip"));
    }
    return new ScheduleInput(
        name == null ? null : name.strip(),
        workflowId,
        cron == null ? null : cron.strip(),
        intervalSeconds,
        timezone == null ? "UTC" : timezone.strip(),
        policy,
        enabled == null || enabled);
  }

  /**
   * The problems of a timing: both or neither of cron and interval, a cron that does not parse or
   * never fires, an interval out of range, an unknown zone. Pointers are {@code prefix} + field
   * name ({@code "/"} for a body, {@code ""} for query parameters).
   */
  static void timingErrors(
      String cron,
      Integer intervalSeconds,
      String timezone,
      String prefix,
      List<Problem.FieldError> errors) {
    boolean unreadable =
        errors.stream()
            .anyMatch(
                e ->
                    e.pointer().equals(prefix + "cron")
                        || e.pointer().equals(prefix + "intervalSeconds"));
    if (unreadable) {
      // a cron or interval of the wrong type was reported already: not "neither"
    } else if (cron == null && intervalSeconds == null) {
      errors.add(
          new Problem.FieldError(prefix + "cron", "either cron or intervalSeconds is required"));
    } else if (cron != null && intervalSeconds != null) {
      errors.add(
          new Problem.FieldError(
              prefix + "intervalSeconds", "give either cron or intervalSeconds, not both"));
    }
    if (cron != null) {
      try {
        Cron.parse(cron);
      } catch (InvalidTimingException e) {
        errors.add(new Problem.FieldError(prefix + "cron", e.getMessage()));
      }
    }
    if (intervalSeconds != null) {
      try {
        Timing.intervalSeconds(intervalSeconds);
      } catch (InvalidTimingException e) {
        errors.add(new Problem.FieldError(prefix + "intervalSeconds", e.getMessage()));
      }
    }
    if (timezone != null) {
      try {
        Timing.zone(timezone);
      } catch (InvalidTimingException e) {
        errors.add(new Problem.FieldError(prefix + "timezone", e.getMessage()));
      }
    }
  }

  private static void unknown(ObjectNode body, List<Problem.FieldError> errors) {
    for (Map.Entry<String, JsonNode> field : body.properties()) {
      if (!FIELDS.contains(field.getKey()) && !READ_ONLY.contains(field.getKey())) {
        errors.add(
            new Problem.FieldError(
                "/" + field.getKey().replace("~", "~0").replace("/", "~1"), "unknown field"));
      }
    }
  }

  private static String text(ObjectNode body, String field, List<Problem.FieldError> errors) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      errors.add(new Problem.FieldError("/" + field, "must be a string"));
      return null;
    }
    return value.asText();
  }

  private static UUID uuid(ObjectNode body, String field, List<Problem.FieldError> errors) {
    String text = text(body, field, errors);
    if (text == null) {
      return null;
    }
    try {
      return UUID.fromString(text.strip());
    } catch (IllegalArgumentException e) {
      errors.add(new Problem.FieldError("/" + field, "must be a UUID"));
      return null;
    }
  }

  private static Integer integer(ObjectNode body, String field, List<Problem.FieldError> errors) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      errors.add(
          new Problem.FieldError(
              "/" + field, "must be an integer between 1 and " + Timing.MAX_INTERVAL_SECONDS));
      return null;
    }
    return value.intValue();
  }

  private static Boolean bool(ObjectNode body, String field, List<Problem.FieldError> errors) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      errors.add(new Problem.FieldError("/" + field, "must be true or false"));
      return null;
    }
    return value.booleanValue();
  }
}
