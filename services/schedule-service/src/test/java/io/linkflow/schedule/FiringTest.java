package io.linkflow.schedule;

import static io.linkflow.schedule.ScheduleTestSupport.WAIT;
import static io.linkflow.schedule.ScheduleTestSupport.as;
import static io.linkflow.schedule.ScheduleTestSupport.await;
import static io.linkflow.schedule.ScheduleTestSupport.createOk;
import static io.linkflow.schedule.ScheduleTestSupport.editor;
import static io.linkflow.schedule.ScheduleTestSupport.publishWorkflowEvent;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventTypes;
import io.linkflow.events.payload.WorkflowActivatedV1;
import io.linkflow.events.payload.WorkflowDeactivatedV1;
import io.linkflow.schedule.ScheduleTestSupport.Fired;
import io.linkflow.schedule.ScheduleTestSupport.Fires;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The leader's ticks on real PostgreSQL and Kafka: each fire time becomes one execution.requested
 * on schedule.triggers, with a deterministic execution id and the schedule's item; missed fire
 * times fire once or not at all by policy.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_schedule")
class FiringTest {

  static Fires fires;

  @Inject Pool pool;

  private final UUID workspace = UUID.randomUUID();
  private final UUID workflow = UUID.randomUUID();

  @BeforeAll
  static void watch() {
    fires = new Fires();
  }

  @AfterAll
  static void close() {
    fires.close();
  }

  private UUID schedule(String timing) {
    return createOk(
        workspace, "{\"name\":\"test\",\"workflowId\":\"" + workflow + "\"," + timing + "}");
  }

  @Test
  void aCronWithSecondsFiresEachFireTimeOnceOnScheduleTriggers() {
    UUID id = schedule("\"cron\":\"*/2 * * * * *\",\"timezone\":\"Asia/Kolkata\"");
    try {
      List<Fired> seen = fires.await(workflow, 3, WAIT);
      for (Fired f : seen) {
        Instant slot = f.scheduledAt();
        assertThat(slot.getEpochSecond() % 2).isZero();
        assertThat(slot.getNano()).isZero();
        assertThat(f.request().executionId())
            .isEqualTo(io.linkflow.schedule.firing.Fires.executionId(id, slot));
        assertThat(f.record().key()).isEqualTo(f.request().executionId().toString());
        assertThat(f.event().type()).isEqualTo(EventTypes.EXECUTION_REQUESTED_V1.cloudEventType());
        assertThat(f.event().source()).isEqualTo("/services/schedule");
        assertThat(f.event().workspaceId()).isEqualTo(workspace.toString());
        assertThat(TopicWatcher.header(f.record(), CloudEventHeaders.SUBJECT))
            .isEqualTo(f.request().executionId().toString());
        assertThat(f.request().mode()).isEqualTo("schedule");
        assertThat(f.request().workflowId()).isEqualTo(workflow);
        assertThat(f.request().versionId()).isNull();
        assertThat(f.request().triggerNodeId()).isNull();
        assertThat(f.item().path("timezone").asText()).isEqualTo("Asia/Kolkata");
        assertThat(f.item().path("scheduleId").asText()).isEqualTo(id.toString());
        assertThat(f.item().path("timestamp").asText()).endsWith("+05:30");
        assertThat(OffsetDateTime.parse(f.item().path("timestamp").asText()).toInstant())
            .isEqualTo(slot);
        assertThat(Instant.parse(f.item().path("firedAt").asText())).isAfterOrEqualTo(slot);
        assertThat(f.item().has("missed")).isFalse();
      }
      List<Instant> slots = seen.stream().map(Fired::scheduledAt).toList();
      assertThat(slots).doesNotHaveDuplicates().isSorted();
      for (int i = 1; i < slots.size(); i++) {
        assertThat(Duration.between(slots.get(i - 1), slots.get(i)))
            .isEqualTo(Duration.ofSeconds(2));
      }
      JsonPath after = as(editor(workspace)).get("/api/v1/schedules/" + id).jsonPath();
      assertThat(Instant.parse(after.getString("lastFireAt"))).isAfterOrEqualTo(slots.get(0));
    } finally {
      ScheduleTestSupport.delete(workspace, id);
    }
  }

  @Test
  void anIntervalFiresAtAFixedRateFromItsCreation() {
    JsonPath created =
        as(editor(workspace))
            .body(
                "{\"name\":\"every second\",\"workflowId\":\""
                    + workflow
                    + "\",\"intervalSeconds\":1}")
            .post("/api/v1/schedules")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    UUID id = UUID.fromString(created.getString("id"));
    Instant createdAt = Instant.parse(created.getString("createdAt"));
    try {
      List<Fired> seen = fires.await(workflow, 3, WAIT);
      List<Instant> slots = seen.stream().map(Fired::scheduledAt).toList();
      assertThat(slots).doesNotHaveDuplicates().isSorted();
      assertThat(slots.get(0)).isEqualTo(createdAt.plusSeconds(1));
      for (Instant slot : slots) {
        assertThat(Duration.between(createdAt, slot).toMillis() % 1000).isZero();
      }
      assertThat(seen.stream().map(f -> f.request().executionId()).distinct()).hasSize(seen.size());
    } finally {
      ScheduleTestSupport.delete(workspace, id);
    }
  }

  @Test
  void aWorkflowScheduleRequestsItsVersionAndTriggerAndStopsWhenDeactivated() {
    UUID version = UUID.randomUUID();
    publishWorkflowEvent(
        EventCodec.envelope(
            EventTypes.WORKFLOW_ACTIVATED_V1,
            "/services/workflow",
            workflow.toString(),
            workspace.toString(),
            new WorkflowActivatedV1(
                workflow,
                version,
                List.of(
                    new WorkflowActivatedV1.Trigger(
                        "every-second",
                        "linkflow.scheduleTrigger",
                        "{\"cron\":\"* * * * * *\"}")))));
    Fired first = fires.await(workflow, 1, WAIT).get(0);
    assertThat(first.request().versionId()).isEqualTo(version);
    assertThat(first.request().triggerNodeId()).isEqualTo("every-second");
    assertThat(first.request().mode()).isEqualTo("schedule");
    assertThat(first.item().path("timezone").asText()).isEqualTo("UTC");

    publishWorkflowEvent(
        EventCodec.envelope(
            EventTypes.WORKFLOW_DEACTIVATED_V1,
            "/services/workflow",
            workflow.toString(),
            workspace.toString(),
            new WorkflowDeactivatedV1(workflow, version)));
    await(
        "the schedule removed",
        WAIT,
        () ->
            as(editor(workspace))
                .get("/api/v1/schedules?workflowId=" + workflow)
                .jsonPath()
                .getList("items")
                .isEmpty());
    Instant removed = Instant.now();
    fires.read(Duration.ofSeconds(2)); // anything still on its way
    int count = fires.of(workflow).size();
    fires.read(Duration.ofSeconds(2));
    assertThat(fires.of(workflow)).hasSize(count);
    assertThat(fires.of(workflow)).allMatch(f -> f.scheduledAt().isBefore(removed));
  }

  /** Sets the schedule's anchor and next fire time as if the service had been down since then. */
  private void downSince(UUID id, Instant anchor, Instant nextFireAt) {
    pool.preparedQuery("UPDATE schedule SET anchor_at = $2, next_fire_at = $3 WHERE id = $1")
        .execute(Tuple.of(id, anchor.atOffset(ZoneOffset.UTC), nextFireAt.atOffset(ZoneOffset.UTC)))
        .await()
        .indefinitely();
  }

  private static double metric(String series) {
    String metrics = given().get("/metrics").then().statusCode(200).extract().asString();
    Matcher m = Pattern.compile(Pattern.quote(series) + " ([0-9.eE+]+)").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void afterDowntimeAFireOnceScheduleFiresOnceForTheLatestMissedTime() {
    UUID id = schedule("\"intervalSeconds\":60,\"missedFirePolicy\":\"fireOnce\"");
    Instant anchor = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MILLIS);
    double before = metric("schedule_fires_total{outcome=\"missed_fired\"}");
    try {
      downSince(id, anchor, anchor.plusSeconds(60));
      Fired fired = fires.await(workflow, 1, WAIT).get(0);
      assertThat(fired.item().path("missed").asBoolean()).isTrue();
      int count = fired.item().path("missedCount").asInt();
      assertThat(count).isBetween(119, 121);
      assertThat(fired.scheduledAt()).isEqualTo(anchor.plusSeconds(60L * count));
      assertThat(fired.request().executionId())
          .isEqualTo(io.linkflow.schedule.firing.Fires.executionId(id, fired.scheduledAt()));
      JsonPath after = as(editor(workspace)).get("/api/v1/schedules/" + id).jsonPath();
      assertThat(Instant.parse(after.getString("nextFireAt")))
          .isEqualTo(fired.scheduledAt().plusSeconds(60))
          .isAfter(fired.scheduledAt());
      assertThat(Instant.parse(after.getString("lastFireAt"))).isEqualTo(fired.scheduledAt());
      fires.read(Duration.ofSeconds(1));
      assertThat(fires.of(workflow)).as("fired exactly once").hasSize(1);
      assertThat(metric("schedule_fires_total{outcome=\"missed_fired\"}")).isEqualTo(before + 1);
    } finally {
      ScheduleTestSupport.delete(workspace, id);
    }
  }

  @Test
  void afterDowntimeASkipScheduleFiresNothingAndGoesOnFromNow() {
    UUID id = schedule("\"intervalSeconds\":60,\"missedFirePolicy\":\"skip\"");
    Instant anchor = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MILLIS);
    double before = metric("schedule_fires_total{outcome=\"missed_skipped\"}");
    try {
      Instant down = Instant.now();
      downSince(id, anchor, anchor.plusSeconds(60));
      await(
          "the missed fire times skipped",
          WAIT,
          () -> {
            String next = as(editor(workspace)).get("/api/v1/schedules/" + id).path("nextFireAt");
            return Instant.parse(next).isAfter(down);
          });
      JsonPath after = as(editor(workspace)).get("/api/v1/schedules/" + id).jsonPath();
      Instant next = Instant.parse(after.getString("nextFireAt"));
      assertThat(Duration.between(anchor, next).toMillis() % 60_000).isZero();
      assertThat(next).isBefore(Instant.now().plusSeconds(61));
      assertThat(after.getString("lastFireAt")).isNull();
      fires.read(Duration.ofSeconds(1));
      assertThat(fires.of(workflow)).isEmpty();
      assertThat(metric("schedule_fires_total{outcome=\"missed_skipped\"}")).isEqualTo(before + 1);
    } finally {
      ScheduleTestSupport.delete(workspace, id);
    }
  }

  @Test
  void theSchedulerPublishesItsMetrics() {
    UUID id = schedule("\"cron\":\"* * * * * *\"");
    try {
      fires.await(workflow, 1, WAIT);
    } finally {
      ScheduleTestSupport.delete(workspace, id);
    }
    String metrics = given().get("/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("schedule_fires_total{outcome=\"fired\"}")
        .contains("schedule_fire_lag_seconds_count")
        .contains("schedule_fire_lag_seconds_bucket{le=\"1.0\"}")
        .contains("schedule_leader 1.0")
        .contains("schedule_leader_changes_total{change=\"acquired\"}");
  }
}
