package io.linkflow.schedule.firing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.events.EventCodec;
import io.linkflow.events.payload.ExecutionRequestedV1;
import io.linkflow.schedule.store.Schedule;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** The request to run that a fire publishes on schedule.triggers. */
public final class Fires {

  /** The execution mode of scheduled runs (execution-service starts at the Schedule Trigger). */
  public static final String MODE = "schedule";

  /** Namespace of the name-based execution ids of fires (UUID version 5, RFC 9562). */
  static final UUID NAMESPACE = UUID.fromString("1649619c-3c85-46e9-9828-a01e813a6b6b");

  private Fires() {}

  /**
   * The execution id of the fire of {@code scheduleId} for {@code slot}: a name-based UUID (version
   * 5: SHA-1 of a namespace and {@code "<scheduleId>@<slot epoch millis>"}), the same every time
   * the same fire time is fired. execution-service keeps the first request of an execution id, so a
   * fire published twice (a relay retry, a leader change) runs once.
   */
  public static UUID executionId(UUID scheduleId, Instant slot) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
    ByteBuffer namespace = ByteBuffer.allocate(16);
    namespace.putLong(NAMESPACE.getMostSignificantBits());
    namespace.putLong(NAMESPACE.getLeastSignificantBits());
    sha1.update(namespace.array());
    sha1.update((scheduleId + "@" + slot.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
    byte[] hash = sha1.digest();
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
    ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(bits.getLong(), bits.getLong());
  }

  /**
   * The request: mode {@code schedule}, the schedule's workflow, its pinned version and trigger
   * node (workflow schedules; null for API schedules: the active or latest version, and the trigger
   * execution-service picks for the mode), and one item {@link #item}.
   */
  public static ExecutionRequestedV1 request(
      Schedule schedule, ZoneId zone, FirePlan.Fire fire, Instant firedAt) {
    return new ExecutionRequestedV1(
        executionId(schedule.id(), fire.slot()),
        schedule.workflowId(),
        schedule.versionId(),
        MODE,
        input(schedule, zone, fire, firedAt),
        schedule.triggerNodeId(),
        null,
        null);
  }

  /**
   * The trigger's items as JSON text: one item {@code {timestamp, scheduledAt, firedAt, timezone,
   * scheduleId}} plus {@code missed: true, missedCount} for a missed fire. {@code timestamp} is the
   * scheduled time with the zone's offset, {@code scheduledAt} the same instant in UTC, {@code
   * firedAt} when the leader fired it.
   */
  public static String input(Schedule schedule, ZoneId zone, FirePlan.Fire fire, Instant firedAt) {
    ArrayNode items = EventCodec.mapper().createArrayNode();
    ObjectNode item = items.addObject();
    item.put(
        "timestamp",
        DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.ofInstant(fire.slot(), zone)));
    item.put("scheduledAt", fire.slot().toString());
    item.put("firedAt", firedAt.toString());
    item.put("timezone", zone.getId());
    item.put("scheduleId", schedule.id().toString());
    if (fire.missed()) {
      item.put("missed", true);
      item.put("missedCount", fire.missedCount());
    }
    return items.toString();
  }
}
