package io.linkflow.schedule;

import static io.linkflow.schedule.ScheduleTestSupport.WAIT;
import static io.linkflow.schedule.ScheduleTestSupport.as;
import static io.linkflow.schedule.ScheduleTestSupport.await;
import static io.linkflow.schedule.ScheduleTestSupport.createOk;
import static io.linkflow.schedule.ScheduleTestSupport.editor;
import static io.linkflow.schedule.ScheduleTestSupport.publishWorkflowEvent;
import static io.linkflow.schedule.ScheduleTestSupport.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.linkflow.events.EventCodec;
import io.linkflow.events.EventTypes;
import io.linkflow.events.payload.WorkflowActivatedV1;
import io.linkflow.events.payload.WorkflowChangedV1;
import io.linkflow.events.payload.WorkflowDeactivatedV1;
import io.linkflow.security.Roles;
import io.linkflow.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Workflow schedules follow workflow.events (real Kafka, real PostgreSQL): activation registers the
 * version's Schedule Triggers, re-activation keeps unchanged ones and reschedules changed ones,
 * deactivation and deletion remove them; a trigger that cannot be scheduled is skipped and counted.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_schedule")
class RegistrationTest {

  static final String SCHEDULE = "linkflow.scheduleTrigger";

  @Inject Pool pool;

  private final UUID workspace = UUID.randomUUID();
  private final UUID workflow = UUID.randomUUID();

  private void activate(UUID workflowId, UUID versionId, WorkflowActivatedV1.Trigger... triggers) {
    publishWorkflowEvent(
        EventCodec.envelope(
            EventTypes.WORKFLOW_ACTIVATED_V1,
            "/services/workflow",
            workflowId.toString(),
            workspace.toString(),
            new WorkflowActivatedV1(workflowId, versionId, List.of(triggers))));
  }

  private static WorkflowActivatedV1.Trigger trigger(String nodeId, String parameters) {
    return new WorkflowActivatedV1.Trigger(nodeId, SCHEDULE, parameters);
  }

  /** The workflow's schedules by trigger node, once {@code until} holds for them. */
  private Map<String, Map<String, Object>> schedules(
      UUID workflowId, java.util.function.Predicate<List<Map<String, Object>>> until) {
    String viewer = token(workspace, Roles.VIEWER);
    List<Map<String, Object>>[] items = new List[1];
    await(
        "the schedules of workflow " + workflowId,
        WAIT,
        () -> {
          items[0] =
              as(viewer)
                  .get("/api/v1/schedules?workflowId=" + workflowId)
                  .jsonPath()
                  .getList("items");
          return until.test(items[0]);
        });
    return items[0].stream()
        .collect(Collectors.toMap(m -> (String) m.get("triggerNodeId"), m -> m));
  }

  private static double registrationErrors(String reason) {
    String metrics = given().get("/metrics").then().statusCode(200).extract().asString();
    Matcher m =
        Pattern.compile(
                "schedule_registration_errors_total\\{reason=\"" + reason + "\"\\} ([0-9.eE+]+)")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void anActivatedWorkflowsScheduleTriggersBecomeSchedulesThatFollowItsVersions() {
    double cronErrorsBefore = registrationErrors("cron");
    UUID v1 = UUID.randomUUID();
    activate(
        workflow,
        v1,
        trigger(
            "daily",
            "{\"cron\":\"0 9 * * MON-FRI\",\"timezone\":\"Europe/Paris\","
                + "\"missedFirePolicy\":\"skip\"}"),
        trigger("often", "{\"intervalSeconds\":300}"),
        trigger("broken", "{\"cron\":\"every morning\"}"),
        trigger("gone-later", "{\"cron\":\"0 0 1 1 *\"}"),
        new WorkflowActivatedV1.Trigger("hook", "linkflow.webhookTrigger", "{\"path\":\"x\"}"));

    Map<String, Map<String, Object>> first = schedules(workflow, items -> items.size() == 3);
    assertThat(first.keySet()).containsExactlyInAnyOrder("daily", "often", "gone-later");
    Map<String, Object> daily = first.get("daily");
    assertThat(daily.get("source")).isEqualTo("workflow");
    assertThat(daily.get("versionId")).isEqualTo(v1.toString());
    assertThat(daily.get("cron")).isEqualTo("0 9 * * MON-FRI");
    assertThat(daily.get("timezone")).isEqualTo("Europe/Paris");
    assertThat(daily.get("missedFirePolicy")).isEqualTo("skip");
    assertThat(daily.get("enabled")).isEqualTo(true);
    assertThat(Instant.parse((String) daily.get("nextFireAt"))).isAfter(Instant.now());
    Map<String, Object> often = first.get("often");
    assertThat(often.get("intervalSeconds")).isEqualTo(300);
    assertThat(often.get("timezone")).isEqualTo("UTC");
    assertThat(often.get("missedFirePolicy")).isEqualTo("fireOnce");
    assertThat(registrationErrors("cron")).isEqualTo(cronErrorsBefore + 1);

    // the API cannot change them
    as(editor(workspace))
        .body("{\"enabled\":false}")
        .patch("/api/v1/schedules/" + daily.get("id"))
        .then()
        .statusCode(409);

    // an unchanged trigger keeps its schedule and next fire time: pin it to recognise it
    OffsetDateTime pinned = OffsetDateTime.of(2031, 1, 6, 8, 0, 0, 0, ZoneOffset.UTC);
    pool.preparedQuery("UPDATE schedule SET next_fire_at = $2 WHERE id = $1")
        .execute(Tuple.of(UUID.fromString((String) daily.get("id")), pinned))
        .await()
        .indefinitely();

    UUID v2 = UUID.randomUUID();
    Instant activatedAgain = Instant.now();
    activate(
        workflow,
        v2,
        trigger(
            "daily",
            "{\"cron\":\"0 9 * * MON-FRI\",\"timezone\":\"Europe/Paris\","
                + "\"missedFirePolicy\":\"fireOnce\"}"),
        trigger("often", "{\"intervalSeconds\":600}"),
        trigger("broken", "{\"cron\":\"0 12 * * *\"}"));
    Map<String, Map<String, Object>> second =
        schedules(
            workflow,
            items ->
                items.size() == 3
                    && items.stream().allMatch(i -> v2.toString().equals(i.get("versionId"))));
    assertThat(second.keySet()).containsExactlyInAnyOrder("daily", "often", "broken");
    Map<String, Object> dailyAgain = second.get("daily");
    assertThat(dailyAgain.get("id")).isEqualTo(daily.get("id"));
    assertThat(Instant.parse((String) dailyAgain.get("nextFireAt"))).isEqualTo(pinned.toInstant());
    assertThat(dailyAgain.get("missedFirePolicy")).isEqualTo("fireOnce");
    Map<String, Object> oftenAgain = second.get("often");
    assertThat(oftenAgain.get("id")).isEqualTo(often.get("id"));
    assertThat(oftenAgain.get("intervalSeconds")).isEqualTo(600);
    assertThat(Instant.parse((String) oftenAgain.get("nextFireAt")))
        .isBetween(activatedAgain.plusSeconds(599), Instant.now().plusSeconds(601));
    assertThat(second.get("broken").get("cron")).isEqualTo("0 12 * * *");

    publishWorkflowEvent(
        EventCodec.envelope(
            EventTypes.WORKFLOW_DEACTIVATED_V1,
            "/services/workflow",
            workflow.toString(),
            workspace.toString(),
            new WorkflowDeactivatedV1(workflow, v2)));
    schedules(workflow, List::isEmpty);
  }

  @Test
  void aDeletedWorkflowLosesItsSchedulesAndItsApiSchedulesAreDisabled() {
    UUID version = UUID.randomUUID();
    activate(workflow, version, trigger("t", "{\"cron\":\"*/30 * * * *\"}"));
    UUID api =
        createOk(
            workspace,
            "{\"name\":\"extra\",\"workflowId\":\"" + workflow + "\",\"intervalSeconds\":3600}");
    schedules(workflow, items -> items.size() == 2);

    publishWorkflowEvent(
        EventCodec.envelope(
            EventTypes.WORKFLOW_DELETED_V1,
            "/services/workflow",
            workflow.toString(),
            workspace.toString(),
            new WorkflowChangedV1(workflow, workspace, version, 1, "Reports", "user-1")));
    Map<String, Map<String, Object>> left =
        schedules(
            workflow,
            items -> items.size() == 1 && Boolean.FALSE.equals(items.get(0).get("enabled")));
    JsonPath kept =
        as(editor(workspace))
            .get("/api/v1/schedules/" + api)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(kept.getString("nextFireAt")).isNull();
    assertThat(left.values().iterator().next().get("source")).isEqualTo("api");
  }

  @Test
  void triggersThatCannotBeScheduledAreSkippedAndTheConsumerGoesOn() {
    double before =
        registrationErrors("cron")
            + registrationErrors("timezone")
            + registrationErrors("timing")
            + registrationErrors("intervalSeconds");
    activate(
        workflow,
        UUID.randomUUID(),
        trigger("expression", "{\"cron\":\"{{ $vars.CRON }}\"}"),
        trigger("zone", "{\"cron\":\"0 9 * * *\",\"timezone\":\"Europe/Atlantis\"}"),
        trigger("both", "{\"cron\":\"0 9 * * *\",\"intervalSeconds\":60}"),
        trigger("neither", "{\"timezone\":\"UTC\"}"),
        trigger("interval", "{\"intervalSeconds\":0}"),
        trigger("not-json", "{oops"),
        trigger("ok", "{\"cron\":\"0 9 * * *\"}"));
    assertThat(schedules(workflow, items -> items.size() == 1).keySet()).containsExactly("ok");
    double after =
        registrationErrors("cron")
            + registrationErrors("timezone")
            + registrationErrors("timing")
            + registrationErrors("intervalSeconds");
    assertThat(after - before).isEqualTo(6);

    // the next event of another workflow is handled: nothing was poisoned
    UUID next = UUID.randomUUID();
    activate(next, UUID.randomUUID(), trigger("t", "{\"intervalSeconds\":60}"));
    schedules(next, items -> items.size() == 1);
  }
}
