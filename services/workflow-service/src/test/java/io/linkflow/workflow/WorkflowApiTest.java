package io.linkflow.workflow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.ExecutionRequestedV1;
import io.linkflow.events.payload.WorkflowActivatedV1;
import io.linkflow.events.payload.WorkflowChangedV1;
import io.linkflow.events.payload.WorkflowDeactivatedV1;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Workflows on real PostgreSQL and Kafka, through the HTTP API with real tokens. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_workflow", redis = false)
class WorkflowApiTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject Pool pool;

  private final UUID workspace = UUID.randomUUID();
  private final String editor = TestIssuer.get().token(UUID.randomUUID(), workspace, "editor");
  private final String viewer = TestIssuer.get().token(UUID.randomUUID(), workspace, "viewer");

  static String webhookWorkflow(String name, String path) {
    return """
        {"name": "%s", "tags": ["sales", "crm"],
         "nodes": [
           {"id": "hook", "name": "New order", "type": "linkflow.webhookTrigger", "typeVersion": 1,
            "parameters": {"path": "%s", "method": "POST"}},
           {"id": "call", "name": "Post to CRM", "type": "linkflow.httpRequest", "typeVersion": 1,
            "parameters": {"method": "POST", "url": "https://crm.example.com/{{ $json.id }}"}}],
         "connections": [{"from": {"node": "hook", "port": "main"}, "to": {"node": "call", "port": "main"}}],
         "settings": {"timezone": "Europe/Paris", "executionTimeoutSeconds": 600}}"""
        .formatted(name, path);
  }

  static final String MANUAL =
      """
      {"name": "Manual job", "nodes": [
         {"id": "start", "name": "Start", "type": "linkflow.manualTrigger"},
         {"id": "noop", "name": "Nothing", "type": "linkflow.noOp"}],
       "connections": [{"from": {"node": "start"}, "to": {"node": "noop"}}]}""";

  @Test
  void aWorkflowIsCreatedReadReplacedAndDeletedWithEvents() {
    try (TopicWatcher events = TopicWatcher.watch(Topic.WORKFLOW_EVENTS.topicName())) {
      ExtractableResponse<Response> created =
          as(editor)
              .body(webhookWorkflow("Orders to CRM", "orders"))
              .post("/api/v1/workflows")
              .then()
              .statusCode(201)
              .header("Location", containsString("/api/v1/workflows/"))
              .header("ETag", equalTo("\"r1\""))
              .body("version", equalTo(1))
              .body("active", equalTo(false))
              .body("nodes", hasSize(2))
              .body("nodes[1].parameters.url", equalTo("https://crm.example.com/{{ $json.id }}"))
              .body("settings.timezone", equalTo("Europe/Paris"))
              .body("settings.saveExecutionData", equalTo("all"))
              .extract();
      String id = created.path("id");

      as(viewer)
          .get("/api/v1/workflows/" + id)
          .then()
          .statusCode(200)
          .header("ETag", equalTo("\"r1\""))
          .body("name", equalTo("Orders to CRM"))
          .body("tags", containsInAnyOrder("sales", "crm"));
      as(editor)
          .header("If-Match", "\"r1\"")
          .body(webhookWorkflow("Orders to CRM v2", "orders"))
          .put("/api/v1/workflows/" + id)
          .then()
          .statusCode(200)
          .header("ETag", equalTo("\"r2\""))
          .body("version", equalTo(2))
          .body("name", equalTo("Orders to CRM v2"));
      as(editor).delete("/api/v1/workflows/" + id).then().statusCode(204);
      as(editor).get("/api/v1/workflows/" + id).then().statusCode(404);

      for (var type :
          List.of(
              EventTypes.WORKFLOW_CREATED_V1,
              EventTypes.WORKFLOW_UPDATED_V1,
              EventTypes.WORKFLOW_DELETED_V1)) {
        ConsumerRecord<String, byte[]> record = next(events, type, id);
        assertThat(record.key()).isEqualTo(id);
        WorkflowChangedV1 payload = EventCodec.read(WorkflowChangedV1.class, record.value());
        assertThat(payload.workspaceId()).isEqualTo(workspace);
      }
    }
  }

  @Test
  void anInvalidWorkflowIsRefusedWithOneErrorPerProblemAndNothingIsStored() {
    String invalid =
        """
        {"name": "Broken", "nodes": [
           {"id": "a", "name": "Start", "type": "linkflow.manualTrigger"},
           {"id": "b", "name": "Start", "type": "linkflow.teleport"},
           {"id": "c", "name": "Call", "type": "linkflow.httpRequest",
            "parameters": {"url": "https://x.example", "method": "FETCH", "authentication": "httpBearerToken"}},
           {"id": "d", "name": "D", "type": "linkflow.noOp"},
           {"id": "e", "name": "E", "type": "linkflow.noOp"}],
         "connections": [
           {"from": {"node": "a"}, "to": {"node": "ghost"}},
           {"from": {"node": "a"}, "to": {"node": "c"}},
           {"from": {"node": "a"}, "to": {"node": "c"}},
           {"from": {"node": "c"}, "to": {"node": "d"}},
           {"from": {"node": "d"}, "to": {"node": "e"}},
           {"from": {"node": "e"}, "to": {"node": "d"}}]}""";
    as(editor)
        .body(invalid)
        .post("/api/v1/workflows")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("status", equalTo(422))
        .body(
            "errors.pointer",
            containsInAnyOrder(
                "/nodes/1/name",
                "/nodes/1/type",
                "/nodes/2/parameters/method",
                "/nodes/2/credentials/httpBearerToken",
                "/connections/0/to/node",
                "/connections/2",
                "/connections"))
        .body("errors.find { it.pointer == '/nodes/1/type' }.nodeId", equalTo("b"))
        .body(
            "errors.find { it.pointer == '/nodes/2/credentials/httpBearerToken' }.message",
            containsString(
                "a credential of type httpBearerToken is required because authentication is"
                    + " httpBearerToken"))
        .body("errors.find { it.pointer == '/connections' }.message", containsString("cycle"));
    as(editor).get("/api/v1/workflows?q=Broken").then().body("items", hasSize(0));
  }

  @Test
  void versionsAreImmutableAndAnOldOneCanBeRestored() {
    String id = create(webhookWorkflow("Versioned", "versioned"));
    as(editor)
        .body(Map.of("name", "Versioned renamed"))
        .patch("/api/v1/workflows/" + id)
        .then()
        .statusCode(200)
        .body("version", equalTo(2))
        .body("nodes", hasSize(2));
    as(editor)
        .body(Map.of("tags", List.of("only")))
        .patch("/api/v1/workflows/" + id)
        .then()
        .statusCode(200)
        .body("version", equalTo(3));

    as(viewer)
        .get("/api/v1/workflows/" + id + "/versions")
        .then()
        .statusCode(200)
        .body("items.version", org.hamcrest.Matchers.contains(3, 2, 1))
        .body("items[0].nodes", nullValue());
    as(viewer)
        .get("/api/v1/workflows/" + id + "/versions?limit=2")
        .then()
        .body("items", hasSize(2))
        .body("nextCursor", notNullValue());
    as(viewer)
        .get("/api/v1/workflows/" + id + "/versions/1")
        .then()
        .statusCode(200)
        .body("name", equalTo("Versioned"))
        .body("nodes[0].id", equalTo("hook"));

    as(editor)
        .post("/api/v1/workflows/" + id + "/versions/1/restore")
        .then()
        .statusCode(200)
        .header("ETag", equalTo("\"r4\""))
        .body("version", equalTo(4))
        .body("name", equalTo("Versioned"))
        .body("tags", org.hamcrest.Matchers.contains("only"));
    as(viewer)
        .get("/api/v1/workflows/" + id + "/versions/4")
        .then()
        .body("restoredFrom", equalTo(1));
    as(editor).post("/api/v1/workflows/" + id + "/versions/9/restore").then().statusCode(404);

    // the database refuses to change a stored version
    Throwable refused =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                pool.preparedQuery("UPDATE workflow_version SET name = 'x' WHERE workflow_id = $1")
                    .execute(Tuple.of(UUID.fromString(id)))
                    .await()
                    .atMost(WAIT));
    assertThat(refused).hasMessageContaining("immutable");
  }

  @Test
  void locationNamesTheAddressTheCallerUsedBehindTheEdge() {
    as(editor)
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "api.linkflow.example")
        .body(MANUAL)
        .post("/api/v1/workflows")
        .then()
        .statusCode(201)
        .header(
            "Location",
            org.hamcrest.Matchers.startsWith("https://api.linkflow.example/api/v1/workflows/"));
  }

  @Test
  void aStaleWriteIsRefusedWith412() {
    String id = create(MANUAL);
    as(editor)
        .header("If-Match", "\"r1\"")
        .body(Map.of("name", "First writer"))
        .patch("/api/v1/workflows/" + id)
        .then()
        .statusCode(200)
        .header("ETag", equalTo("\"r2\""));
    as(editor)
        .header("If-Match", "\"r1\"")
        .body(Map.of("name", "Second writer"))
        .patch("/api/v1/workflows/" + id)
        .then()
        .statusCode(412)
        .contentType("application/problem+json")
        .body("detail", containsString("read it again"));
    as(editor)
        .header("If-Match", "\"r1\"")
        .delete("/api/v1/workflows/" + id)
        .then()
        .statusCode(412);
    as(viewer).get("/api/v1/workflows/" + id).then().body("name", equalTo("First writer"));
  }

  @Test
  void activationNeedsAStartingTriggerAndPublishesTheTriggers() {
    String manual = create(MANUAL);
    as(editor)
        .post("/api/v1/workflows/" + manual + "/activate")
        .then()
        .statusCode(422)
        .body("errors[0].pointer", equalTo("/nodes"))
        .body("errors[0].message", containsString("Webhook, Schedule or Event"));

    String id = create(webhookWorkflow("Activate me", "activate-me"));
    try (TopicWatcher events = TopicWatcher.watch(Topic.WORKFLOW_EVENTS.topicName())) {
      String versionId =
          as(editor)
              .post("/api/v1/workflows/" + id + "/activate")
              .then()
              .statusCode(200)
              .body("active", equalTo(true))
              .extract()
              .path("activeVersionId");
      ConsumerRecord<String, byte[]> activated = next(events, EventTypes.WORKFLOW_ACTIVATED_V1, id);
      WorkflowActivatedV1 payload = EventCodec.read(WorkflowActivatedV1.class, activated.value());
      assertThat(payload.versionId().toString()).isEqualTo(versionId);
      assertThat(payload.triggers()).hasSize(1);
      assertThat(payload.triggers().get(0).type()).isEqualTo("linkflow.webhookTrigger");
      assertThat(payload.triggers().get(0).parameters()).contains("activate-me");

      // saving an active workflow moves it to the new version and announces it again
      as(editor)
          .body(Map.of("description", "now documented"))
          .patch("/api/v1/workflows/" + id)
          .then()
          .statusCode(200)
          .body("active", equalTo(true))
          .body("version", equalTo(2));
      String newVersion = as(viewer).get("/api/v1/workflows/" + id).path("versionId");
      assertThat(as(viewer).get("/api/v1/workflows/" + id).<String>path("activeVersionId"))
          .isEqualTo(newVersion);
      ConsumerRecord<String, byte[]> reactivated =
          next(events, EventTypes.WORKFLOW_ACTIVATED_V1, id);
      assertThat(EventCodec.read(WorkflowActivatedV1.class, reactivated.value()).versionId())
          .hasToString(newVersion);

      as(editor)
          .post("/api/v1/workflows/" + id + "/deactivate")
          .then()
          .statusCode(200)
          .body("active", equalTo(false))
          .body("activeVersionId", nullValue());
      ConsumerRecord<String, byte[]> deactivated =
          next(events, EventTypes.WORKFLOW_DEACTIVATED_V1, id);
      assertThat(EventCodec.read(WorkflowDeactivatedV1.class, deactivated.value()).versionId())
          .hasToString(newVersion);
    }
  }

  @Test
  void twoActiveWorkflowsCannotClaimTheSameWebhookPath() {
    String first = create(webhookWorkflow("First listener", "shared-path"));
    String second = create(webhookWorkflow("Second listener", "shared-path"));
    as(editor).post("/api/v1/workflows/" + first + "/activate").then().statusCode(200);
    as(editor)
        .post("/api/v1/workflows/" + second + "/activate")
        .then()
        .statusCode(422)
        .body("errors[0].pointer", equalTo("/nodes/0/parameters/path"))
        .body("errors[0].nodeId", equalTo("hook"))
        .body("errors[0].message", containsString("First listener"));
    as(viewer).get("/api/v1/workflows/" + second).then().body("active", equalTo(false));

    // an active workflow saved onto a taken path is refused too
    String third = create(webhookWorkflow("Third listener", "other-path"));
    as(editor).post("/api/v1/workflows/" + third + "/activate").then().statusCode(200);
    as(editor)
        .body(webhookWorkflow("Third listener", "shared-path"))
        .put("/api/v1/workflows/" + third)
        .then()
        .statusCode(422)
        .body("errors[0].message", containsString("First listener"));

    // once the first lets go, the second may take the path
    as(editor).post("/api/v1/workflows/" + first + "/deactivate").then().statusCode(200);
    as(editor).post("/api/v1/workflows/" + second + "/activate").then().statusCode(200);

    // another workspace has its own paths
    UUID otherWorkspace = UUID.randomUUID();
    String other = TestIssuer.get().token(UUID.randomUUID(), otherWorkspace, "editor");
    String theirs =
        as(other)
            .body(webhookWorkflow("Theirs", "shared-path"))
            .post("/api/v1/workflows")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    as(other).post("/api/v1/workflows/" + theirs + "/activate").then().statusCode(200);
  }

  @Test
  void executeAnswers202AndARepeatedIdempotencyKeyPublishesNothingNew() {
    String id = create(MANUAL);
    String key = "run-" + UUID.randomUUID();
    try (TopicWatcher triggers = TopicWatcher.watch(Topic.WORKFLOW_TRIGGERS.topicName())) {
      ExtractableResponse<Response> first =
          as(editor)
              .header("Idempotency-Key", key)
              .body(Map.of("input", Map.of("orderId", 42)))
              .post("/api/v1/workflows/" + id + "/execute")
              .then()
              .statusCode(202)
              .header("Location", containsString("/api/v1/executions/"))
              .body("status", equalTo("queued"))
              .extract();
      String executionId = first.path("executionId");
      as(editor)
          .header("Idempotency-Key", key)
          .body(Map.of("input", Map.of("orderId", 42)))
          .post("/api/v1/workflows/" + id + "/execute")
          .then()
          .statusCode(202)
          .body("executionId", equalTo(executionId));

      ConsumerRecord<String, byte[]> record =
          next(triggers, EventTypes.EXECUTION_REQUESTED_V1, executionId);
      assertThat(record.key()).isEqualTo(executionId);
      ExecutionRequestedV1 request = EventCodec.read(ExecutionRequestedV1.class, record.value());
      assertThat(request.workflowId()).hasToString(id);
      assertThat(request.mode()).isEqualTo("manual");
      assertThat(request.input()).isEqualTo("[{\"orderId\":42}]");

      // without a key, every call is a new execution; no body (and no Content-Type) is fine
      String other =
          given()
              .auth()
              .oauth2(editor)
              .post("/api/v1/workflows/" + id + "/execute")
              .then()
              .statusCode(202)
              .extract()
              .path("executionId");
      assertThat(other).isNotEqualTo(executionId);
      ConsumerRecord<String, byte[]> second =
          next(triggers, EventTypes.EXECUTION_REQUESTED_V1, other);
      assertThat(EventCodec.read(ExecutionRequestedV1.class, second.value()).input())
          .isEqualTo("[{}]");
      // the repeat published nothing: only the two executions are on the topic for this workflow
      assertThat(triggers.poll(Duration.ofSeconds(2)))
          .filteredOn(r -> executionId.equals(r.key()))
          .isEmpty();
    }
    long published =
        pool.preparedQuery("SELECT count(*) FROM execute_request WHERE idempotency_key = $1")
            .execute(Tuple.of(key))
            .await()
            .atMost(WAIT)
            .iterator()
            .next()
            .getLong(0);
    assertThat(published).isEqualTo(1);

    // the same key for another workflow is a mistake, not a repeat
    String another = create(MANUAL);
    as(editor)
        .header("Idempotency-Key", key)
        .post("/api/v1/workflows/" + another + "/execute")
        .then()
        .statusCode(422);
    as(viewer).post("/api/v1/workflows/" + id + "/execute").then().statusCode(403);
    as(editor)
        .body(Map.of("input", "not items"))
        .post("/api/v1/workflows/" + id + "/execute")
        .then()
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/input"));
  }

  @Test
  void concurrentRequestsWithOneIdempotencyKeyStartOneExecution() throws Exception {
    String id = create(MANUAL);
    String key = "burst-" + UUID.randomUUID();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
    try (TopicWatcher triggers = TopicWatcher.watch(Topic.WORKFLOW_TRIGGERS.topicName())) {
      List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        answers.add(
            pool.submit(
                () ->
                    as(editor)
                        .header("Idempotency-Key", key)
                        .post("/api/v1/workflows/" + id + "/execute")
                        .then()
                        .statusCode(202)
                        .extract()
                        .<String>path("executionId")));
      }
      java.util.Set<String> ids = new java.util.HashSet<>();
      for (var answer : answers) {
        ids.add(answer.get(30, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertThat(ids).hasSize(1);
      String executionId = ids.iterator().next();
      next(triggers, EventTypes.EXECUTION_REQUESTED_V1, executionId);
      assertThat(triggers.poll(Duration.ofSeconds(2)))
          .filteredOn(r -> executionId.equals(r.key()))
          .isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void foldersTagsAndSearchFindWorkflows() {
    String folder =
        as(editor)
            .body(Map.of("name", "Finance " + UUID.randomUUID()))
            .post("/api/v1/workflows/folders")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String invoices =
        create(
            """
            {"name": "Invoice reminders", "folderId": "%s", "tags": ["billing"],
             "nodes": [{"id": "s", "name": "S", "type": "linkflow.manualTrigger"}]}"""
                .formatted(folder));
    create(
        """
        {"name": "Weekly report", "tags": ["billing", "reports"],
         "nodes": [{"id": "s", "name": "S", "type": "linkflow.manualTrigger"}]}""");

    as(viewer)
        .get("/api/v1/workflows?q=invoice")
        .then()
        .body("items.name", org.hamcrest.Matchers.contains("Invoice reminders"));
    as(viewer)
        .get("/api/v1/workflows?tag=billing")
        .then()
        .body("items.name", org.hamcrest.Matchers.contains("Invoice reminders", "Weekly report"));
    as(viewer)
        .get("/api/v1/workflows?tag=billing&tag=reports")
        .then()
        .body("items.name", org.hamcrest.Matchers.contains("Weekly report"));
    as(viewer)
        .get("/api/v1/workflows?folderId=" + folder)
        .then()
        .body("items.id", org.hamcrest.Matchers.contains(invoices));
    as(viewer)
        .get("/api/v1/workflows?limit=1")
        .then()
        .body("items", hasSize(1))
        .body("nextCursor", notNullValue());
    as(viewer)
        .get("/api/v1/workflows/tags")
        .then()
        .statusCode(200)
        .body("find { it.name == 'billing' }.workflows", equalTo(2));
    as(viewer).get("/api/v1/workflows/folders").then().body("id", hasItem(folder));

    as(editor)
        .delete("/api/v1/workflows/folders/" + folder)
        .then()
        .statusCode(409)
        .body("detail", containsString("1 workflow"));
    as(editor)
        .body(Map.of("folderId", UUID.randomUUID().toString()))
        .patch("/api/v1/workflows/" + invoices)
        .then()
        .statusCode(422)
        .body("errors[0].pointer", equalTo("/folderId"));
    java.util.HashMap<String, Object> out = new java.util.HashMap<>();
    out.put("folderId", null);
    as(editor).body(out).patch("/api/v1/workflows/" + invoices).then().statusCode(200);
    as(editor).delete("/api/v1/workflows/folders/" + folder).then().statusCode(204);
  }

  @Test
  void anExportedWorkflowImportsAsANewOne() {
    String id = create(webhookWorkflow("Exported", "exported"));
    String document =
        as(viewer)
            .get("/api/v1/workflows/" + id + "/export")
            .then()
            .statusCode(200)
            .header("Content-Disposition", containsString("exported.json"))
            .body("linkflowExport", equalTo(1))
            .body("nodes", hasSize(2))
            .extract()
            .asString();
    String imported =
        as(editor)
            .body(document)
            .post("/api/v1/workflows/import")
            .then()
            .statusCode(201)
            .body("name", equalTo("Exported"))
            .body("version", equalTo(1))
            .body("nodes[0].parameters.path", equalTo("exported"))
            .extract()
            .path("id");
    assertThat(imported).isNotEqualTo(id);
    as(editor).body(MANUAL).post("/api/v1/workflows/import").then().statusCode(422);
  }

  @Test
  void aServiceReadsAPinnedVersionByIdEvenAfterTheWorkflowMovedOn() {
    String id = create(webhookWorkflow("Pinned", "pinned"));
    String versionId = as(viewer).get("/api/v1/workflows/" + id).path("versionId");
    as(editor)
        .body(Map.of("name", "Pinned, renamed"))
        .patch("/api/v1/workflows/" + id)
        .then()
        .statusCode(200);
    as(editor).delete("/api/v1/workflows/" + id).then().statusCode(204);
    String execution =
        TestIssuer.get()
            .builder()
            .subject("service:execution")
            .workspace(null)
            .scope("workflow-versions:read")
            .sign();

    given()
        .auth()
        .oauth2(execution)
        .get("/internal/v1/workflow-versions/" + versionId + "?workspaceId=" + workspace)
        .then()
        .statusCode(200)
        .header("Cache-Control", containsString("max-age=31536000"))
        .body("id", equalTo(versionId))
        .body("workflowId", equalTo(id))
        .body("version", equalTo(1))
        .body("name", equalTo("Pinned"))
        .body("nodes[0].parameters.path", equalTo("pinned"))
        .body("settings.timezone", equalTo("Europe/Paris"));
    given()
        .auth()
        .oauth2(execution)
        .get("/internal/v1/workflow-versions/" + versionId + "?workspaceId=" + UUID.randomUUID())
        .then()
        .statusCode(404);
    // by workflow id: the version it runs now; gone once the workflow is deleted
    String live = create(webhookWorkflow("Live", "live"));
    String liveVersion = as(viewer).get("/api/v1/workflows/" + live).path("versionId");
    given()
        .auth()
        .oauth2(execution)
        .get("/internal/v1/workflow-versions?workflowId=" + live + "&workspaceId=" + workspace)
        .then()
        .statusCode(200)
        .header("Cache-Control", containsString("no-store"))
        .body("id", equalTo(liveVersion))
        .body("workflowId", equalTo(live));
    given()
        .auth()
        .oauth2(execution)
        .get("/internal/v1/workflow-versions?workflowId=" + id + "&workspaceId=" + workspace)
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(execution)
        .get("/internal/v1/workflow-versions?workflowId=nope&workspaceId=" + workspace)
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(execution)
        .get("/internal/v1/workflow-versions/" + versionId)
        .then()
        .statusCode(400);
    String owner = TestIssuer.get().token(UUID.randomUUID(), workspace, "owner");
    given()
        .auth()
        .oauth2(owner)
        .get("/internal/v1/workflow-versions/" + versionId + "?workspaceId=" + workspace)
        .then()
        .statusCode(403);
    given()
        .get("/internal/v1/workflow-versions/" + versionId + "?workspaceId=" + workspace)
        .then()
        .statusCode(401);
  }

  @Test
  void anotherWorkspaceSeesNothingAndViewersCannotWrite() {
    String id = create(MANUAL);
    String stranger = TestIssuer.get().token(UUID.randomUUID(), UUID.randomUUID(), "owner");
    as(stranger).get("/api/v1/workflows/" + id).then().statusCode(404);
    as(stranger).body(MANUAL).put("/api/v1/workflows/" + id).then().statusCode(404);
    as(stranger).delete("/api/v1/workflows/" + id).then().statusCode(404);
    as(stranger).get("/api/v1/workflows/" + id + "/versions").then().statusCode(404);
    as(stranger).post("/api/v1/workflows/" + id + "/execute").then().statusCode(404);
    as(stranger).post("/api/v1/workflows/" + id + "/activate").then().statusCode(404);
    as(stranger).get("/api/v1/workflows").then().body("items", hasSize(0));

    as(viewer).body(MANUAL).post("/api/v1/workflows").then().statusCode(403);
    as(viewer).body(MANUAL).put("/api/v1/workflows/" + id).then().statusCode(403);
    given().get("/api/v1/workflows").then().statusCode(401);
  }

  /** The next event of {@code type} about {@code subject} on the watched topic. */
  private static ConsumerRecord<String, byte[]> next(
      TopicWatcher watcher, io.linkflow.events.EventType<?> type, String subject) {
    return watcher.first(
        CloudEventHeaders.TYPE, type.cloudEventType(), CloudEventHeaders.SUBJECT, subject, WAIT);
  }

  private String create(String json) {
    return as(editor)
        .body(json)
        .post("/api/v1/workflows")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private static RequestSpecification as(String token) {
    return given().auth().oauth2(token).contentType("application/json");
  }
}
