package io.linkflow.schedule.firing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkflow.events.EventCodec;
import io.linkflow.events.payload.ExecutionRequestedV1;
import io.linkflow.schedule.store.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a due schedule fires at a tick, and the request each fire publishes. */
class FirePlanTest {

  static final Duration GRACE = Duration.ofSeconds(30);
  static final Instant ANCHOR = Instant.parse("2024-05-01T10:00:00Z");

  static Schedule interval(int seconds, Instant nextFireAt, String policy) {
    return new Schedule(
        UUID.randomUUID(),
        UUID.randomUUID(),
        Schedule.API,
        UUID.randomUUID(),
        null,
        null,
        "every " + seconds,
        null,
        seconds,
        "Europe/Paris",
        policy,
        true,
        ANCHOR,
        nextFireAt,
        null,
        ANCHOR,
        ANCHOR);
  }

  @Test
  void aDueFireTimeFiresOnceAndTheNextOneFollows() {
    Schedule s = interval(60, ANCHOR.plusSeconds(60), Schedule.FIRE_ONCE);
    FirePlan.Decision d =
        FirePlan.decide(s, s.timing(), ANCHOR.plusSeconds(60).plusMillis(300), GRACE);
    assertThat(d.fires()).containsExactly(new FirePlan.Fire(ANCHOR.plusSeconds(60), false, 0));
    assertThat(d.nextFireAt()).isEqualTo(ANCHOR.plusSeconds(120));
    assertThat(d.missed()).isFalse();
    assertThat(d.lastFired()).isEqualTo(ANCHOR.plusSeconds(60));
  }

  @Test
  void fireTimesLateByLessThanTheGraceAllFireEachOnce() {
    // a leader change of 12 s: an every-second schedule fires the 13 fire times it owes
    Schedule s = interval(1, ANCHOR.plusSeconds(1), Schedule.SKIP);
    Instant now = ANCHOR.plusSeconds(13).plusMillis(500);
    FirePlan.Decision d = FirePlan.decide(s, s.timing(), now, GRACE);
    assertThat(d.fires()).hasSize(13);
    assertThat(d.fires()).allMatch(f -> !f.missed());
    assertThat(d.fires().get(0).slot()).isEqualTo(ANCHOR.plusSeconds(1));
    assertThat(d.fires().get(12).slot()).isEqualTo(ANCHOR.plusSeconds(13));
    assertThat(d.nextFireAt()).isEqualTo(ANCHOR.plusSeconds(14));
  }

  @Test
  void missedFireTimesFireOnceForTheLatestWithTheirCount() {
    Schedule s = interval(60, ANCHOR.plusSeconds(60), Schedule.FIRE_ONCE);
    Instant now = ANCHOR.plus(Duration.ofHours(1)).plusSeconds(10); // 60 fire times missed
    FirePlan.Decision d = FirePlan.decide(s, s.timing(), now, GRACE);
    assertThat(d.missed()).isTrue();
    assertThat(d.missedCount()).isEqualTo(60);
    assertThat(d.fires())
        .containsExactly(new FirePlan.Fire(ANCHOR.plus(Duration.ofHours(1)), true, 60));
    assertThat(d.nextFireAt()).isEqualTo(ANCHOR.plus(Duration.ofHours(1)).plusSeconds(60));
    assertThat(d.missedFrom()).isEqualTo(ANCHOR.plusSeconds(60));
  }

  @Test
  void missedFireTimesOfASkipScheduleFireNothingAndItGoesOnAfterNow() {
    Schedule s = interval(60, ANCHOR.plusSeconds(60), Schedule.SKIP);
    Instant now = ANCHOR.plus(Duration.ofHours(1)).plusSeconds(10);
    FirePlan.Decision d = FirePlan.decide(s, s.timing(), now, GRACE);
    assertThat(d.missed()).isTrue();
    assertThat(d.fires()).isEmpty();
    assertThat(d.lastFired()).isNull();
    assertThat(d.nextFireAt()).isAfter(now);
    assertThat(d.nextFireAt()).isEqualTo(ANCHOR.plus(Duration.ofHours(1)).plusSeconds(60));
  }

  @Test
  void aHugeBacklogWithinTheGraceIsFiredAtMostAHundredATick() {
    Schedule s = interval(1, ANCHOR.plusSeconds(1), Schedule.FIRE_ONCE);
    FirePlan.Decision d =
        FirePlan.decide(s, s.timing(), ANCHOR.plusSeconds(200), Duration.ofMinutes(10));
    assertThat(d.fires()).hasSize(FirePlan.MAX_FIRES_PER_TICK);
    assertThat(d.nextFireAt()).isEqualTo(ANCHOR.plusSeconds(101)); // still due: next tick
  }

  @Test
  void theExecutionIdOfAFireDependsOnlyOnTheScheduleAndTheFireTime() {
    UUID schedule = UUID.randomUUID();
    Instant slot = Instant.parse("2024-05-01T10:00:05Z");
    UUID id = Fires.executionId(schedule, slot);
    assertThat(Fires.executionId(schedule, slot)).isEqualTo(id);
    assertThat(id.version()).isEqualTo(5);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(Fires.executionId(schedule, slot.plusSeconds(1))).isNotEqualTo(id);
    assertThat(Fires.executionId(UUID.randomUUID(), slot)).isNotEqualTo(id);
  }

  @Test
  void theRequestCarriesOneItemWithTheFireTimeInTheScheduleZone() throws Exception {
    Schedule s = interval(60, ANCHOR.plusSeconds(60), Schedule.FIRE_ONCE);
    Instant slot = Instant.parse("2024-05-01T10:01:00Z");
    Instant firedAt = slot.plusMillis(120);
    ExecutionRequestedV1 on =
        Fires.request(s, ZoneId.of("Europe/Paris"), new FirePlan.Fire(slot, false, 0), firedAt);
    assertThat(on.executionId()).isEqualTo(Fires.executionId(s.id(), slot));
    assertThat(on.mode()).isEqualTo("schedule");
    assertThat(on.workflowId()).isEqualTo(s.workflowId());
    assertThat(on.versionId()).isNull();
    assertThat(on.triggerNodeId()).isNull();
    JsonNode items = EventCodec.mapper().readTree(on.input());
    assertThat(items).hasSize(1);
    JsonNode item = items.get(0);
    assertThat(item.path("timestamp").asText()).isEqualTo("2024-05-01T12:01:00+02:00");
    assertThat(item.path("scheduledAt").asText()).isEqualTo("2024-05-01T10:01:00Z");
    assertThat(item.path("firedAt").asText()).isEqualTo("2024-05-01T10:01:00.120Z");
    assertThat(item.path("timezone").asText()).isEqualTo("Europe/Paris");
    assertThat(item.path("scheduleId").asText()).isEqualTo(s.id().toString());
    assertThat(item.has("missed")).isFalse();

    ExecutionRequestedV1 missed =
        Fires.request(s, ZoneId.of("Europe/Paris"), new FirePlan.Fire(slot, true, 7), firedAt);
    JsonNode missedItem = EventCodec.mapper().readTree(missed.input()).get(0);
    assertThat(missedItem.path("missed").asBoolean()).isTrue();
    assertThat(missedItem.path("missedCount").asInt()).isEqualTo(7);
  }
}
