package io.linkflow.schedule;

import static io.linkflow.schedule.ScheduleTestSupport.as;
import static io.linkflow.schedule.ScheduleTestSupport.create;
import static io.linkflow.schedule.ScheduleTestSupport.createOk;
import static io.linkflow.schedule.ScheduleTestSupport.editor;
import static io.linkflow.schedule.ScheduleTestSupport.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.linkflow.security.Roles;
import io.linkflow.testing.OpenApiContract;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * /api/v1/schedules through HTTP with real tokens on real PostgreSQL: create, read, list, change,
 * delete, next runs and previews; every refusal (401, 403, 404, 409, 422) as problem+json.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_schedule")
class ScheduleApiTest {

  @Inject Pool pool;

  private final UUID workspace = UUID.randomUUID();
  private final UUID workflow = UUID.randomUUID();

  private String body(String timing) {
    return "{\"name\":\"Nightly report\",\"workflowId\":\"" + workflow + "\"," + timing + "}";
  }

  private static Set<String> pointers(Response r) {
    return new TreeSet<>(r.jsonPath().getList("errors.pointer", String.class));
  }

  @Test
  void anApiScheduleIsCreatedReadListedChangedAndDeleted() {
    Instant before = Instant.now();
    Response created =
        create(workspace, body("\"cron\":\"0 9 * * MON-FRI\",\"timezone\":\"Europe/Paris\""));
    created.then().statusCode(201);
    String id = created.jsonPath().getString("id");
    assertThat(created.header("Location")).endsWith("/api/v1/schedules/" + id);
    JsonPath s = created.jsonPath();
    assertThat(s.getString("source")).isEqualTo("api");
    assertThat(s.getString("workflowId")).isEqualTo(workflow.toString());
    assertThat(s.getString("versionId")).isNull();
    assertThat(s.getString("triggerNodeId")).isNull();
    assertThat(s.getString("missedFirePolicy")).isEqualTo("fireOnce");
    assertThat(s.getBoolean("enabled")).isTrue();
    ZonedDateTime next = Instant.parse(s.getString("nextFireAt")).atZone(ZoneId.of("Europe/Paris"));
    assertThat(next.toInstant()).isAfter(before);
    assertThat(next.getHour()).isEqualTo(9);
    assertThat(next.getMinute()).isZero();
    assertThat(next.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
    assertThat(next.toInstant()).isBefore(before.plus(Duration.ofDays(4)));

    String viewer = token(workspace, Roles.VIEWER);
    as(viewer)
        .get("/api/v1/schedules/" + id)
        .then()
        .statusCode(200)
        .body("name", equalTo("Nightly report"))
        .body("cron", equalTo("0 9 * * MON-FRI"))
        .body("timezone", equalTo("Europe/Paris"));
    as(viewer)
        .get("/api/v1/schedules?workflowId=" + workflow)
        .then()
        .statusCode(200)
        .body("items", hasSize(1))
        .body("items[0].id", equalTo(id));

    // switch to an interval: cron is cleared and the next fire time is an interval from now
    Instant patchedAt = Instant.now();
    JsonPath patched =
        as(editor(workspace))
            .body("{\"intervalSeconds\":3600,\"missedFirePolicy\":\"skip\"}")
            .patch("/api/v1/schedules/" + id)
            .then()
            .statusCode(200)
            .body("cron", nullValue())
            .body("intervalSeconds", equalTo(3600))
            .body("missedFirePolicy", equalTo("skip"))
            .extract()
            .jsonPath();
    Instant nextHour = Instant.parse(patched.getString("nextFireAt"));
    assertThat(nextHour)
        .isBetween(patchedAt.plusSeconds(3600).minusSeconds(1), Instant.now().plusSeconds(3601));

    as(editor(workspace))
        .body("{\"enabled\":false}")
        .patch("/api/v1/schedules/" + id)
        .then()
        .statusCode(200)
        .body("enabled", equalTo(false))
        .body("nextFireAt", nullValue());
    // enabling again: the interval keeps its rate from when it was set
    String again =
        as(editor(workspace))
            .body("{\"enabled\":true}")
            .patch("/api/v1/schedules/" + id)
            .then()
            .statusCode(200)
            .extract()
            .path("nextFireAt");
    assertThat(Instant.parse(again)).isEqualTo(nextHour);

    // a rename keeps the next fire time
    as(editor(workspace))
        .body("{\"name\":\"Hourly\"}")
        .patch("/api/v1/schedules/" + id)
        .then()
        .statusCode(200)
        .body("name", equalTo("Hourly"))
        .body("nextFireAt", equalTo(again));

    UUID otherWorkflow = UUID.randomUUID();
    as(editor(workspace))
        .body(
            "{\"name\":\"Replaced\",\"workflowId\":\""
                + otherWorkflow
                + "\",\"cron\":\"*/10 * * * * *\"}")
        .put("/api/v1/schedules/" + id)
        .then()
        .statusCode(200)
        .body("name", equalTo("Replaced"))
        .body("workflowId", equalTo(otherWorkflow.toString()))
        .body("cron", equalTo("*/10 * * * * *"))
        .body("intervalSeconds", nullValue())
        .body("timezone", equalTo("UTC"))
        .body("missedFirePolicy", equalTo("fireOnce"));

    as(editor(workspace)).delete("/api/v1/schedules/" + id).then().statusCode(204);
    as(viewer).get("/api/v1/schedules/" + id).then().statusCode(404);
    as(editor(workspace)).delete("/api/v1/schedules/" + id).then().statusCode(404);
  }

  @Test
  void theListIsPagedWithACursorAndFilteredByWorkflowAndSource() {
    for (int i = 0; i < 3; i++) {
      createOk(workspace, body("\"intervalSeconds\":" + (600 + i)));
    }
    createOk(
        workspace,
        "{\"name\":\"other\",\"workflowId\":\"" + UUID.randomUUID() + "\",\"intervalSeconds\":60}");
    String viewer = token(workspace, Roles.VIEWER);
    JsonPath first =
        as(viewer)
            .get("/api/v1/schedules?limit=2&workflowId=" + workflow)
            .then()
            .statusCode(200)
            .body("items", hasSize(2))
            .extract()
            .jsonPath();
    String cursor = first.getString("nextCursor");
    assertThat(cursor).isNotBlank();
    JsonPath second =
        as(viewer)
            .get("/api/v1/schedules?limit=2&workflowId=" + workflow + "&cursor=" + cursor)
            .then()
            .statusCode(200)
            .body("items", hasSize(1))
            .body("nextCursor", nullValue())
            .extract()
            .jsonPath();
    assertThat(second.getList("items.intervalSeconds", Integer.class)).containsExactly(602);
    assertThat(first.getList("items.intervalSeconds", Integer.class)).containsExactly(600, 601);
    as(viewer).get("/api/v1/schedules").then().body("items", hasSize(4));
    as(viewer).get("/api/v1/schedules?source=workflow").then().body("items", hasSize(0));
    as(viewer).get("/api/v1/schedules?source=api").then().body("items", hasSize(4));
    Response bad = as(viewer).get("/api/v1/schedules?workflowId=nope&source=cron&limit=500");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.contentType()).startsWith("application/problem+json");
    as(viewer).get("/api/v1/schedules?workflowId=nope&source=cron").then().statusCode(400);
    as(viewer).get("/api/v1/schedules?cursor=forged").then().statusCode(400);
  }

  @Test
  void invalidSchedulesAre422WithEveryErrorAndNothingIsSaved() {
    Response empty = create(workspace, "{}");
    assertThat(empty.statusCode()).isEqualTo(422);
    assertThat(empty.contentType()).startsWith("application/problem+json");
    assertThat(pointers(empty)).containsExactly("/cron", "/name", "/workflowId");

    Response all =
        create(
            workspace,
            "{\"name\":\"\",\"workflowId\":\"not-a-uuid\",\"cron\":\"0 60 * * *\","
                + "\"timezone\":\"Mars/Olympus\",\"missedFirePolicy\":\"always\","
                + "\"enabled\":\"yes\",\"colour\":\"red\"}");
    assertThat(all.statusCode()).isEqualTo(422);
    assertThat(pointers(all))
        .containsExactly(
            "/colour",
            "/cron",
            "/enabled",
            "/missedFirePolicy",
            "/name",
            "/timezone",
            "/workflowId");
    assertThat(all.jsonPath().getString("errors.find { it.pointer == '/timezone' }.message"))
        .contains("Mars/Olympus");
    assertThat(all.jsonPath().getString("errors.find { it.pointer == '/cron' }.message"))
        .contains("60");

    Response both = create(workspace, body("\"cron\":\"* * * * *\",\"intervalSeconds\":60"));
    assertThat(both.statusCode()).isEqualTo(422);
    assertThat(both.jsonPath().getList("errors.message", String.class))
        .containsExactly("give either cron or intervalSeconds, not both");
    for (String interval : new String[] {"0", "31536001", "1.5", "\"60\""}) {
      Response r = create(workspace, body("\"intervalSeconds\":" + interval));
      assertThat(r.statusCode()).as(interval).isEqualTo(422);
      assertThat(pointers(r)).as(interval).containsExactly("/intervalSeconds");
    }
    for (String cron : new String[] {"* * * *", "0 0 30 2 *", "61 * * * * *", "every day"}) {
      Response r = create(workspace, body("\"cron\":\"" + cron + "\""));
      assertThat(r.statusCode()).as(cron).isEqualTo(422);
      assertThat(pointers(r)).as(cron).containsExactly("/cron");
    }
    as(token(workspace, Roles.VIEWER))
        .get("/api/v1/schedules")
        .then()
        .statusCode(200)
        .body("items", hasSize(0));

    UUID id = createOk(workspace, body("\"intervalSeconds\":60"));
    Response patch =
        as(editor(workspace))
            .body("{\"name\":null,\"timezone\":\"Nowhere\",\"cron\":\"nope\"}")
            .patch("/api/v1/schedules/" + id);
    assertThat(patch.statusCode()).isEqualTo(422);
    assertThat(pointers(patch)).containsExactly("/cron", "/name", "/timezone");
    as(editor(workspace))
        .get("/api/v1/schedules/" + id)
        .then()
        .body("name", equalTo("Nightly report"))
        .body("intervalSeconds", equalTo(60));
    as(editor(workspace)).body("[1]").post("/api/v1/schedules").then().statusCode(400);
  }

  /** A schedule kept from a workflow's Schedule Trigger, as registration writes it. */
  private UUID workflowSchedule(UUID workflowId) {
    UUID id = UUID.randomUUID();
    OffsetDateTime now = OffsetDateTime.now().truncatedTo(ChronoUnit.MILLIS);
    pool.preparedQuery(
            "INSERT INTO schedule (id, workspace_id, source, workflow_id, version_id,"
                + " trigger_node_id, name, cron, timezone, missed_fire_policy, enabled, anchor_at,"
                + " next_fire_at, created_at, updated_at) VALUES ($1, $2, 'workflow', $3, $4,"
                + " 'schedule-1', 'schedule-1', '0 0 1 1 *', 'UTC', 'fireOnce', true, $5,"
                + " $6, $5, $5)")
        .execute(
            Tuple.from(
                new Object[] {id, workspace, workflowId, UUID.randomUUID(), now, now.plusYears(1)}))
        .await()
        .indefinitely();
    return id;
  }

  @Test
  void aWorkflowsScheduleIsReadOnlyHere() {
    UUID managedBy = UUID.randomUUID();
    UUID id = workflowSchedule(managedBy);
    String editor = editor(workspace);
    as(editor)
        .get("/api/v1/schedules/" + id)
        .then()
        .statusCode(200)
        .body("source", equalTo("workflow"))
        .body("triggerNodeId", equalTo("schedule-1"));
    for (Response r :
        List.of(
            as(editor).body("{\"enabled\":false}").patch("/api/v1/schedules/" + id),
            as(editor).body(body("\"intervalSeconds\":60")).put("/api/v1/schedules/" + id),
            as(editor).delete("/api/v1/schedules/" + id))) {
      assertThat(r.statusCode()).isEqualTo(409);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.jsonPath().getString("detail"))
          .contains("managed by workflow " + managedBy + ": change its Schedule Trigger");
    }
    as(editor).get("/api/v1/schedules/" + id).then().statusCode(200).body("enabled", equalTo(true));
  }

  @Test
  void anotherWorkspaceSeesNothingAndViewersAndReadScopesCannotWrite() {
    UUID id = createOk(workspace, body("\"intervalSeconds\":120"));
    UUID stranger = UUID.randomUUID();
    String owner = token(stranger, Roles.OWNER);
    as(owner).get("/api/v1/schedules/" + id).then().statusCode(404);
    as(owner).get("/api/v1/schedules/" + id + "/next-runs").then().statusCode(404);
    as(owner).body("{\"enabled\":false}").patch("/api/v1/schedules/" + id).then().statusCode(404);
    as(owner)
        .body(body("\"intervalSeconds\":5"))
        .put("/api/v1/schedules/" + id)
        .then()
        .statusCode(404);
    as(owner).delete("/api/v1/schedules/" + id).then().statusCode(404);
    as(owner).get("/api/v1/schedules").then().statusCode(200).body("items", hasSize(0));
    as(owner).get("/api/v1/schedules/not-a-uuid").then().statusCode(404);

    String viewer = token(workspace, Roles.VIEWER);
    as(viewer).body(body("\"intervalSeconds\":5")).post("/api/v1/schedules").then().statusCode(403);
    as(viewer).body("{\"enabled\":false}").patch("/api/v1/schedules/" + id).then().statusCode(403);
    as(viewer)
        .body(body("\"intervalSeconds\":5"))
        .put("/api/v1/schedules/" + id)
        .then()
        .statusCode(403);
    as(viewer).delete("/api/v1/schedules/" + id).then().statusCode(403);
    as(viewer).get("/api/v1/schedules/" + id).then().statusCode(200);

    // API keys: scopes limit an editor
    String readOnly =
        TestIssuer.get()
            .builder()
            .workspace(workspace)
            .role(Roles.EDITOR)
            .scope("schedules:read")
            .sign();
    String writer =
        TestIssuer.get()
            .builder()
            .workspace(workspace)
            .role(Roles.EDITOR)
            .scope("schedules:write")
            .sign();
    String otherArea =
        TestIssuer.get()
            .builder()
            .workspace(workspace)
            .role(Roles.EDITOR)
            .scope("workflows:write")
            .sign();
    as(readOnly).get("/api/v1/schedules/" + id).then().statusCode(200);
    as(readOnly)
        .body(body("\"intervalSeconds\":5"))
        .post("/api/v1/schedules")
        .then()
        .statusCode(403);
    as(otherArea).get("/api/v1/schedules").then().statusCode(403);
    as(writer).get("/api/v1/schedules/preview?intervalSeconds=5").then().statusCode(200);
    String written =
        as(writer)
            .body(body("\"intervalSeconds\":5"))
            .post("/api/v1/schedules")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    as(writer).delete("/api/v1/schedules/" + written).then().statusCode(204);

    given().get("/api/v1/schedules").then().statusCode(401).contentType("application/problem+json");
    as(editor(workspace)).delete("/api/v1/schedules/" + id).then().statusCode(204);
  }

  @Test
  void nextRunsListTheComingFireTimes() {
    UUID id = createOk(workspace, body("\"intervalSeconds\":90,\"timezone\":\"Asia/Kolkata\""));
    JsonPath runs =
        as(token(workspace, Roles.VIEWER))
            .get("/api/v1/schedules/" + id + "/next-runs?count=3")
            .then()
            .statusCode(200)
            .body("scheduleId", equalTo(id.toString()))
            .body("timezone", equalTo("Asia/Kolkata"))
            .body("runs", hasSize(3))
            .extract()
            .jsonPath();
    List<Instant> at = runs.getList("runs.at", String.class).stream().map(Instant::parse).toList();
    assertThat(Duration.between(at.get(0), at.get(1))).isEqualTo(Duration.ofSeconds(90));
    assertThat(Duration.between(at.get(1), at.get(2))).isEqualTo(Duration.ofSeconds(90));
    String next = as(editor(workspace)).get("/api/v1/schedules/" + id).path("nextFireAt");
    assertThat(at.get(0)).isEqualTo(Instant.parse(next));
    assertThat(runs.getString("runs[0].local")).endsWith("+05:30");
    as(editor(workspace))
        .get("/api/v1/schedules/" + id + "/next-runs")
        .then()
        .body("runs", hasSize(5));
    for (String count : new String[] {"0", "101", "x"}) {
      Response r =
          as(editor(workspace)).get("/api/v1/schedules/" + id + "/next-runs?count=" + count);
      assertThat(r.statusCode()).as(count).isEqualTo(422);
      assertThat(pointers(r)).containsExactly("count");
    }
  }

  @Test
  void aPreviewShowsFireTimesWithoutSavingAnything() {
    String viewer = token(workspace, Roles.VIEWER);
    JsonPath everyFive =
        as(viewer)
            .queryParam("cron", "*/5 * * * * *")
            .queryParam("count", 3)
            .get("/api/v1/schedules/preview")
            .then()
            .statusCode(200)
            .body("timezone", equalTo("UTC"))
            .body("runs", hasSize(3))
            .extract()
            .jsonPath();
    List<Instant> at =
        everyFive.getList("runs.at", String.class).stream().map(Instant::parse).toList();
    assertThat(at).allMatch(t -> t.getEpochSecond() % 5 == 0);
    assertThat(Duration.between(at.get(0), at.get(2))).isEqualTo(Duration.ofSeconds(10));

    JsonPath weekdays =
        as(viewer)
            .queryParam("cron", "0 9 * * MON-FRI")
            .queryParam("timezone", "America/New_York")
            .get("/api/v1/schedules/preview")
            .then()
            .statusCode(200)
            .body("runs", hasSize(5))
            .extract()
            .jsonPath();
    for (String local : weekdays.getList("runs.local", String.class)) {
      OffsetDateTime t = OffsetDateTime.parse(local);
      assertThat(t.getHour()).isEqualTo(9);
      assertThat(t.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
      assertThat(local).matches(".*T09:00:00-0[45]:00");
    }
    as(viewer)
        .get("/api/v1/schedules/preview?intervalSeconds=3600&count=2")
        .then()
        .statusCode(200)
        .body("intervalSeconds", equalTo(3600))
        .body("runs", hasSize(2));

    Response all =
        as(viewer)
            .queryParam("cron", "0 9 * *")
            .queryParam("intervalSeconds", "60")
            .queryParam("timezone", "Atlantis/Capital")
            .queryParam("count", "101")
            .get("/api/v1/schedules/preview");
    assertThat(all.statusCode()).isEqualTo(422);
    assertThat(all.contentType()).startsWith("application/problem+json");
    assertThat(pointers(all)).containsExactly("count", "cron", "intervalSeconds", "timezone");
    Response neither = as(viewer).get("/api/v1/schedules/preview");
    assertThat(neither.statusCode()).isEqualTo(422);
    assertThat(neither.jsonPath().getString("errors[0].message"))
        .isEqualTo("either cron or intervalSeconds is required");
    as(viewer).get("/api/v1/schedules/preview?intervalSeconds=abc").then().statusCode(422);
    as(viewer).get("/api/v1/schedules").then().body("items", hasSize(0));
  }

  @Test
  void everyEndpointIsDocumentedAndNeedsAToken() {
    Set<String> documented =
        OpenApiContract.operations(List.of("/api/v1/schedules"), Set.of()).stream()
            .map(OpenApiContract.Operation::toString)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(documented)
        .containsExactlyInAnyOrder(
            "POST /api/v1/schedules",
            "GET /api/v1/schedules",
            "GET /api/v1/schedules/preview",
            "GET /api/v1/schedules/{id}",
            "GET /api/v1/schedules/{id}/next-runs",
            "PUT /api/v1/schedules/{id}",
            "PATCH /api/v1/schedules/{id}",
            "DELETE /api/v1/schedules/{id}");
    Map<String, String> calls =
        Map.of(
            "GET", "/api/v1/schedules/" + UUID.randomUUID(),
            "DELETE", "/api/v1/schedules/" + UUID.randomUUID(),
            "POST", "/api/v1/schedules");
    calls.forEach(
        (method, path) ->
            given()
                .contentType("application/json")
                .body("{}")
                .request(method, path)
                .then()
                .statusCode(401)
                .contentType(containsString("application/problem+json"))
                .body("status", equalTo(401)));
  }
}
