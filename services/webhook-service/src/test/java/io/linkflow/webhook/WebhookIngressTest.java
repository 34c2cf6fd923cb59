package io.linkflow.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.ExecutionRequestedV1;
import io.linkflow.events.payload.WorkflowActivatedV1;
import io.linkflow.events.payload.WorkflowDeactivatedV1;
import io.linkflow.security.Roles;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestEvents;
import io.linkflow.testing.TestIssuer;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks against real PostgreSQL, Kafka and Redis: registration from workflow.events, calls
 * turned into execution requests on webhook.events, refusals, idempotency, isolation.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_webhook")
class WebhookIngressTest {

  static final Duration WAIT = Duration.ofSeconds(20);
  static final ObjectMapper JSON = new ObjectMapper();
  static TopicWatcher requests;

  @BeforeAll
  static void watch() {
    requests = TopicWatcher.watch(Topic.WEBHOOK_EVENTS.topicName());
  }

  @AfterAll
  static void close() {
    requests.close();
  }

  /** A workspace with one active workflow listening on {@code method path}. */
  record Listener(UUID workspace, UUID workflowId, UUID versionId, String path) {
    String url() {
      return "/webhook/" + workspace + "/" + path;
    }
  }

  static Listener activate(String method, String path, String extraParameters) {
    return activate(method, path, extraParameters, null);
  }

  /** As above, the trigger naming {@code credentials} (JSON text) as a workflow node does. */
  static Listener activate(String method, String path, String extraParameters, String credentials) {
    UUID workspace = UUID.randomUUID();
    UUID workflowId = UUID.randomUUID();
    UUID versionId = UUID.randomUUID();
    String parameters =
        "{\"path\":\"" + path + "\",\"method\":\"" + method + "\"" + extraParameters + "}";
    publish(
        EventCodec.envelope(
            EventTypes.WORKFLOW_ACTIVATED_V1,
            "/services/workflow",
            workflowId.toString(),
            workspace.toString(),
            new WorkflowActivatedV1(
                workflowId,
                versionId,
                List.of(
                    new WorkflowActivatedV1.Trigger(
                        "hook", "linkflow.webhookTrigger", parameters, credentials),
                    new WorkflowActivatedV1.Trigger(
                        "cron", "linkflow.scheduleTrigger", "{\"cron\":\"* * * * *\"}")))));
    Listener listener = new Listener(workspace, workflowId, versionId, path);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (given()
              .auth()
              .oauth2(token(workspace))
              .get("/api/v1/webhooks")
              .jsonPath()
              .getList("items")
              .size()
          == 1) {
        return listener;
      }
      pause();
    }
    throw new AssertionError("webhook " + path + " not registered within " + WAIT);
  }

  static String token(UUID workspace) {
    return TestIssuer.get().token(UUID.randomUUID(), workspace, Roles.VIEWER);
  }

  static void publish(EventEnvelope event) {
    publish(Topic.WORKFLOW_EVENTS, event);
  }

  static void publish(Topic topic, EventEnvelope event) {
    TestEvents.publish(
        topic.topicName(), event.key(), event.data(), CloudEventHeaders.toHeaders(event));
  }

  static ExecutionRequestedV1 requested(UUID executionId) {
    ConsumerRecord<String, byte[]> r =
        requests.first(
            CloudEventHeaders.TYPE,
            EventTypes.EXECUTION_REQUESTED_V1.cloudEventType(),
            CloudEventHeaders.SUBJECT,
            executionId.toString(),
            WAIT);
    assertThat(r.key()).isEqualTo(executionId.toString());
    return EventCodec.read(
        ExecutionRequestedV1.class, CloudEventHeaders.fromHeaders(r.headers(), r.value()).data());
  }

  static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aCallToAnActiveWebhookBecomesARequestToRunItsWorkflow() throws Exception {
    Listener hook = activate("POST", "orders/new", "");
    given()
        .auth()
        .oauth2(token(hook.workspace()))
        .get("/api/v1/webhooks")
        .then()
        .statusCode(200)
        .body("items", hasSize(1))
        .body("items[0].method", equalTo("POST"))
        .body("items[0].url", equalTo(hook.url()))
        .body("items[0].nodeId", equalTo("hook"));

    Response response =
        given()
            .contentType("application/json")
            .header("Authorization", "Bearer not-for-the-workflow")
            .header("X-Shop", "north")
            .queryParam("source", "test")
            .body("{\"total\":5,\"lines\":[{\"sku\":\"A\"}]}")
            .post(hook.url());
    assertThat(response.statusCode()).isEqualTo(202);
    UUID executionId = UUID.fromString(response.jsonPath().getString("executionId"));
    assertThat(response.header("Location")).isEqualTo("/api/v1/executions/" + executionId);

    ExecutionRequestedV1 request = requested(executionId);
    assertThat(request.workflowId()).isEqualTo(hook.workflowId());
    assertThat(request.versionId()).isEqualTo(hook.versionId());
    assertThat(request.mode()).isEqualTo("webhook");
    assertThat(request.triggerNodeId()).isEqualTo("hook");
    JsonNode item = JSON.readTree(request.input()).get(0);
    assertThat(item.at("/body/total").asInt()).isEqualTo(5);
    assertThat(item.at("/body/lines/0/sku").asText()).isEqualTo("A");
    assertThat(item.at("/query/source").asText()).isEqualTo("test");
    assertThat(item.at("/headers/x-shop").asText()).isEqualTo("north");
    assertThat(item.path("headers").has("authorization")).isFalse();
    assertThat(item.path("method").asText()).isEqualTo("POST");
  }

  /** The first request on webhook.events for {@code workflowId} from now on. */
  static ExecutionRequestedV1 nextRequestOf(UUID workflowId) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> r : requests.poll(Duration.ofMillis(200))) {
        ExecutionRequestedV1 request =
            EventCodec.read(
                ExecutionRequestedV1.class,
                CloudEventHeaders.fromHeaders(r.headers(), r.value()).data());
        if (workflowId.equals(request.workflowId())) {
          return request;
        }
      }
    }
    throw new AssertionError("no request for workflow " + workflowId + " within " + WAIT);
  }

  @Test
  void aWaitingCallGetsTheResponseTheExecutionBuilt() throws Exception {
    Listener hook = activate("POST", "quote", ",\"responseMode\":\"responseNode\"");
    var call =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> given().contentType("application/json").body("{\"qty\":2}").post(hook.url()));
    ExecutionRequestedV1 request = nextRequestOf(hook.workflowId());
    // the test plays execution-service: the workflow's Respond to Webhook node answered
    publish(
        Topic.EXECUTION_EVENTS,
        EventCodec.envelope(
            EventTypes.WEBHOOK_RESPONSE_V1,
            "/services/execution",
            request.executionId().toString(),
            hook.workspace().toString(),
            new io.linkflow.events.payload.WebhookResponseV1(
                request.executionId(),
                201,
                java.util.Map.of(
                    "Content-Type", "application/json", "X-Quote", "q-7", "Content-Length", "999"),
                "{\"price\":84}")));
    Response answered = call.get(20, TimeUnit.SECONDS);
    assertThat(answered.statusCode()).isEqualTo(201);
    assertThat(answered.header("X-Quote")).isEqualTo("q-7");
    assertThat(answered.contentType()).startsWith("application/json");
    assertThat(answered.jsonPath().getInt("price")).isEqualTo(84);
  }

  @Test
  void aCallNobodyAnswersInTimeGetsTheExecutionIdAndTheExecutionGoesOn() {
    Listener hook = activate("POST", "slow", ",\"responseMode\":\"lastNode\"");
    long began = System.nanoTime();
    Response response = given().contentType("application/json").body("{}").post(hook.url());
    long waitedMs = (System.nanoTime() - began) / 1_000_000;
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.jsonPath().getString("status")).isEqualTo("running");
    UUID executionId = UUID.fromString(response.jsonPath().getString("executionId"));
    assertThat(waitedMs).isGreaterThanOrEqualTo(2_900); // the configured 3 s response timeout
    assertThat(requested(executionId).workflowId()).isEqualTo(hook.workflowId());
  }

  @Test
  void formAndTextBodiesAreReadAndOtherTypesKeptAsBase64() throws Exception {
    Listener hook = activate("PUT", "inbox", ",\"responseCode\":200");
    Response form =
        given()
            .contentType("application/x-www-form-urlencoded")
            .body("a=1&b=two+words")
            .put(hook.url());
    assertThat(form.statusCode()).isEqualTo(200);
    JsonNode formItem =
        JSON.readTree(requested(UUID.fromString(form.jsonPath().getString("executionId"))).input())
            .get(0);
    assertThat(formItem.at("/body/a").asText()).isEqualTo("1");
    assertThat(formItem.at("/body/b").asText()).isEqualTo("two words");

    Response text = given().contentType("text/plain").body("hello").put(hook.url());
    JsonNode textItem =
        JSON.readTree(requested(UUID.fromString(text.jsonPath().getString("executionId"))).input())
            .get(0);
    assertThat(textItem.path("body").asText()).isEqualTo("hello");

    Response binary =
        given().contentType("application/octet-stream").body(new byte[] {1, 2, 3}).put(hook.url());
    JsonNode binaryItem =
        JSON.readTree(
                requested(UUID.fromString(binary.jsonPath().getString("executionId"))).input())
            .get(0);
    assertThat(binaryItem.at("/body/bodyEncoding").asText()).isEqualTo("base64");
    assertThat(binaryItem.at("/body/data").asText()).isEqualTo("AQID");
  }

  @Test
  void unknownPathsAreNotFoundAndOtherMethodsNotAllowed() {
    Listener hook = activate("POST", "only-post", "");
    given()
        .get(hook.url())
        .then()
        .statusCode(405)
        .contentType("application/problem+json")
        .header("Allow", "POST");
    given()
        .post("/webhook/" + hook.workspace() + "/nothing-here")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    given().post("/webhook/not-a-workspace/only-post").then().statusCode(404);
    // another workspace's path is not this workspace's
    given().post("/webhook/" + UUID.randomUUID() + "/only-post").then().statusCode(404);
    given()
        .contentType("application/json")
        .body("{not json")
        .post(hook.url())
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .contentType("application/json")
        .body("{\"big\":\"" + "x".repeat(70_000) + "\"}")
        .post(hook.url())
        .then()
        .statusCode(413);
  }

  @Test
  void anIdempotencyKeyAnswersTheFirstExecutionAndStartsNothingMore() {
    Listener hook = activate("POST", "payments", "");
    Response first =
        given()
            .header("Idempotency-Key", "pay-42")
            .contentType("application/json")
            .body("{}")
            .post(hook.url());
    Response again =
        given()
            .header("Idempotency-Key", "pay-42")
            .contentType("application/json")
            .body("{}")
            .post(hook.url());
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(again.statusCode()).isEqualTo(202);
    String id = first.jsonPath().getString("executionId");
    assertThat(again.jsonPath().getString("executionId")).isEqualTo(id);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    requested(UUID.fromString(id));
    Response other =
        given()
            .header("Idempotency-Key", "pay-43")
            .contentType("application/json")
            .body("{}")
            .post(hook.url());
    assertThat(other.jsonPath().getString("executionId")).isNotEqualTo(id);
    requested(UUID.fromString(other.jsonPath().getString("executionId")));
    assertThat(requests.poll(Duration.ofSeconds(1)))
        .noneMatch(r -> id.equals(TopicWatcher.header(r, CloudEventHeaders.SUBJECT)));
  }

  @Test
  void aDeactivatedWorkflowStopsListening() {
    Listener hook = activate("POST", "short-lived", "");
    given().contentType("application/json").body("{}").post(hook.url()).then().statusCode(202);
    publish(
        EventCodec.envelope(
            EventTypes.WORKFLOW_DEACTIVATED_V1,
            "/services/workflow",
            hook.workflowId().toString(),
            hook.workspace().toString(),
            new WorkflowDeactivatedV1(hook.workflowId(), hook.versionId())));
    long deadline = System.nanoTime() + WAIT.toNanos();
    int status = 0;
    while (System.nanoTime() < deadline && status != 404) {
      status = given().contentType("application/json").body("{}").post(hook.url()).statusCode();
      pause();
    }
    assertThat(status).isEqualTo(404);
    given()
        .auth()
        .oauth2(token(hook.workspace()))
        .get("/api/v1/webhooks")
        .then()
        .body("items", hasSize(0));
  }

  /** A credential of credential-service's fake, named by a trigger; its id. */
  static UUID credential(String type, String data) {
    UUID id = UUID.randomUUID();
    FakeWorkflowAndCredentialApi.get()
        .credentials
        .put(
            id.toString(),
            "{\"id\":\""
                + id
                + "\",\"type\":\""
                + type
                + "\",\"name\":\"c\",\"data\":"
                + data
                + "}");
    TestIssuer.get().registerClient("webhook", "test-webhook-secret", "credentials:decrypt");
    return id;
  }

  static String credentialRef(String type, UUID id) {
    return "{\"" + type + "\":{\"id\":\"" + id + "\",\"name\":\"c\"}}";
  }

  /** Whether any request to run {@code workflowId} arrived within a second. */
  static void assertNothingStarted(UUID workflowId) {
    assertThat(requests.poll(Duration.ofSeconds(1)))
        .noneMatch(
            r ->
                workflowId
                    .toString()
                    .equals(
                        EventCodec.read(
                                ExecutionRequestedV1.class,
                                CloudEventHeaders.fromHeaders(r.headers(), r.value()).data())
                            .workflowId()
                            .toString()));
  }

  /** {@code POST /api/v1/webhooks/test} with {@code body}, as {@code token} (null: none). */
  static io.restassured.response.ValidatableResponse askForTestEvent(String token, String body) {
    var request = given().contentType("application/json").body(body);
    if (token != null) {
      request = request.auth().oauth2(token);
    }
    return request.post("/api/v1/webhooks/test").then();
  }

  /** A saved (not active) workflow with a Webhook trigger, readable with {@code token}. */
  static UUID savedWorkflow(String token, String path, UUID versionId) {
    UUID workflowId = UUID.randomUUID();
    FakeWorkflowAndCredentialApi.get()
        .workflows
        .put(
            workflowId.toString(),
            new String[] {
              token,
              "{\"id\":\""
                  + workflowId
                  + "\",\"versionId\":\""
                  + versionId
                  + "\",\"active\":false,\"nodes\":["
                  + "{\"id\":\"hook\",\"type\":\"linkflow.webhookTrigger\",\"parameters\":"
                  + "{\"path\":\""
                  + path
                  + "\",\"method\":\"POST\"}},"
                  + "{\"id\":\"off\",\"type\":\"linkflow.webhookTrigger\",\"disabled\":true,"
                  + "\"parameters\":{\"path\":\"disabled-one\",\"method\":\"POST\"}},"
                  + "{\"id\":\"set\",\"type\":\"linkflow.set\",\"parameters\":{}}]}"
            });
    return workflowId;
  }

  @Test
  void aTestUrlListensForOneCallOfTheLatestSavedVersionAfterATestEventIsAskedFor()
      throws Exception {
    UUID workspace = UUID.randomUUID();
    String editor = TestIssuer.get().token(UUID.randomUUID(), workspace, Roles.EDITOR);
    UUID versionId = UUID.randomUUID();
    UUID workflowId = savedWorkflow(editor, "try-me", versionId);
    String testUrl = "/webhook-test/" + workspace + "/try-me";
    given()
        .contentType("application/json")
        .body("{}")
        .post(testUrl)
        .then()
        .statusCode(404)
        .contentType("application/problem+json");

    long asked = System.currentTimeMillis();
    askForTestEvent(editor, "{\"workflowId\":\"" + workflowId + "\"}")
        .statusCode(200)
        .body("workflowId", equalTo(workflowId.toString()))
        .body("versionId", equalTo(versionId.toString()))
        .body("webhooks", hasSize(1))
        .body("webhooks[0].method", equalTo("POST"))
        .body("webhooks[0].url", equalTo(testUrl))
        .body("webhooks[0].nodeId", equalTo("hook"));

    String id =
        given()
            .contentType("application/json")
            .body("{\"probe\":true}")
            .post(testUrl)
            .then()
            .statusCode(202)
            .extract()
            .path("executionId");
    ExecutionRequestedV1 request = requested(UUID.fromString(id));
    assertThat(request.mode()).isEqualTo("test");
    assertThat(request.workflowId()).isEqualTo(workflowId);
    assertThat(request.versionId()).isEqualTo(versionId);
    assertThat(request.triggerNodeId()).isEqualTo("hook");
    assertThat(JSON.readTree(request.input()).get(0).path("body").path("probe").asBoolean())
        .isTrue();

    // one call per listen; the production URL of an inactive workflow never listened
    given().contentType("application/json").body("{}").post(testUrl).then().statusCode(404);
    given()
        .contentType("application/json")
        .body("{}")
        .post("/webhook/" + workspace + "/try-me")
        .then()
        .statusCode(404);
    assertThat(System.currentTimeMillis() - asked).isLessThan(4_000); // all within the window
  }

  @Test
  void aTestUrlStopsListeningWhenItsWindowEnds() {
    UUID workspace = UUID.randomUUID();
    String editor = TestIssuer.get().token(UUID.randomUUID(), workspace, Roles.EDITOR);
    UUID workflowId = savedWorkflow(editor, "expires", UUID.randomUUID());
    String testUrl = "/webhook-test/" + workspace + "/expires";
    String until =
        askForTestEvent(editor, "{\"workflowId\":\"" + workflowId + "\"}")
            .statusCode(200)
            .extract()
            .path("listeningUntil");
    long asked = System.currentTimeMillis();
    // while it listens, another method is 405 (the POST listener stays untouched); then 404
    given().get(testUrl).then().statusCode(405).header("Allow", "POST");
    long deadline = asked + 15_000;
    int status = 405;
    while (status == 405 && System.currentTimeMillis() < deadline) {
      pause();
      status = given().get(testUrl).statusCode();
    }
    long listened = System.currentTimeMillis() - asked;
    assertThat(status).isEqualTo(404);
    // the test profile's window is 4 s (120 s by default)
    assertThat(listened).isBetween(3_000L, 8_000L);
    assertThat(java.time.Instant.parse(until))
        .isBetween(
            java.time.Instant.ofEpochMilli(asked).plusSeconds(3),
            java.time.Instant.ofEpochMilli(asked).plusSeconds(5));
    assertNothingStarted(workflowId);
  }

  @Test
  void askingForATestEventNeedsAnEditorAndAWorkflowWithAWebhookTheyCanSee() {
    UUID workspace = UUID.randomUUID();
    String editor = TestIssuer.get().token(UUID.randomUUID(), workspace, Roles.EDITOR);
    String viewer = TestIssuer.get().token(UUID.randomUUID(), workspace, Roles.VIEWER);
    UUID workflowId = savedWorkflow(editor, "guarded-test", UUID.randomUUID());
    String body = "{\"workflowId\":\"" + workflowId + "\"}";
    askForTestEvent(null, body).statusCode(401);
    askForTestEvent(viewer, body).statusCode(403);
    // another workspace's editor: workflow-service does not show them the workflow
    askForTestEvent(
            TestIssuer.get().token(UUID.randomUUID(), UUID.randomUUID(), Roles.EDITOR), body)
        .statusCode(404)
        .contentType("application/problem+json");
    askForTestEvent(editor, "{}").statusCode(400);
    UUID noHook = UUID.randomUUID();
    FakeWorkflowAndCredentialApi.get()
        .workflows
        .put(
            noHook.toString(),
            new String[] {
              editor,
              "{\"id\":\""
                  + noHook
                  + "\",\"versionId\":\""
                  + UUID.randomUUID()
                  + "\",\"nodes\":[{\"id\":\"m\",\"type\":\"linkflow.manualTrigger\"}]}"
            });
    askForTestEvent(editor, "{\"workflowId\":\"" + noHook + "\"}").statusCode(422);
  }

  @Test
  void basicAuthLetsInOnlyCallersWithTheCredentialsUserAndPassword() throws Exception {
    UUID partner = credential("httpBasicAuth", "{\"user\":\"partner\",\"password\":\"s3cret\"}");
    Listener hook =
        activate("POST", "guarded", ",\"auth\":\"basic\"", credentialRef("httpBasicAuth", partner));
    int decrypts = FakeWorkflowAndCredentialApi.get().decrypts.get();
    given()
        .contentType("application/json")
        .body("{}")
        .post(hook.url())
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", "Basic realm=\"LinkFlow webhook\"");
    given()
        .auth()
        .preemptive()
        .basic("partner", "wrong")
        .contentType("application/json")
        .body("{}")
        .post(hook.url())
        .then()
        .statusCode(401)
        .body("detail", equalTo("The credentials presented do not match."));
    assertNothingStarted(hook.workflowId());
    // every check read the credential (the cache is off in tests): nothing stale is trusted
    assertThat(FakeWorkflowAndCredentialApi.get().decrypts.get() - decrypts).isEqualTo(2);

    String id =
        given()
            .auth()
            .preemptive()
            .basic("partner", "s3cret")
            .contentType("application/json")
            .body("{\"n\":1}")
            .post(hook.url())
            .then()
            .statusCode(202)
            .extract()
            .path("executionId");
    ExecutionRequestedV1 request = requested(UUID.fromString(id));
    JsonNode item = JSON.readTree(request.input()).get(0);
    assertThat(item.path("body").path("n").asInt()).isEqualTo(1);
    assertThat(item.path("headers").has("authorization")).isFalse();
  }

  @Test
  void headerAuthChecksTheNamedHeaderAndKeepsItOutOfTheData() throws Exception {
    UUID key = credential("httpHeaderAuth", "{\"name\":\"X-Partner-Key\",\"value\":\"k-123\"}");
    Listener hook =
        activate("POST", "keyed", ",\"auth\":\"header\"", credentialRef("httpHeaderAuth", key));
    given()
        .contentType("application/json")
        .body("{}")
        .post(hook.url())
        .then()
        .statusCode(401)
        .body("detail", equalTo("This webhook requires the x-partner-key header."));
    given()
        .header("X-Partner-Key", "k-124")
        .contentType("application/json")
        .body("{}")
        .post(hook.url())
        .then()
        .statusCode(401);
    assertNothingStarted(hook.workflowId());
    String id =
        given()
            .header("X-Partner-Key", "k-123")
            .header("X-Other", "kept")
            .contentType("application/json")
            .body("{}")
            .post(hook.url())
            .then()
            .statusCode(202)
            .extract()
            .path("executionId");
    JsonNode headers = JSON.readTree(requested(UUID.fromString(id)).input()).get(0).path("headers");
    assertThat(headers.has("x-partner-key")).isFalse();
    assertThat(headers.path("x-other").asText()).isEqualTo("kept");
  }

  @Test
  void aWebhookWhoseCallerCredentialCannotBeReadIsNeverOpen() {
    // the trigger names a credential credential-service does not know (deleted since)
    Listener missing =
        activate(
            "POST",
            "guarded-missing",
            ",\"auth\":\"basic\"",
            credentialRef("httpBasicAuth", UUID.randomUUID()));
    TestIssuer.get().registerClient("webhook", "test-webhook-secret", "credentials:decrypt");
    given()
        .auth()
        .preemptive()
        .basic("user", "secret")
        .contentType("application/json")
        .body("{}")
        .post(missing.url())
        .then()
        .statusCode(503)
        .contentType("application/problem+json");
    // a trigger asking for auth without naming a credential
    Listener unnamed = activate("POST", "guarded-unnamed", ",\"auth\":\"header\"");
    given()
        .header("X-API-Key", "anything")
        .contentType("application/json")
        .body("{}")
        .post(unnamed.url())
        .then()
        .statusCode(503);
    assertNothingStarted(missing.workflowId());
    assertNothingStarted(unnamed.workflowId());
  }

  @Test
  void callsOverTheRateLimitAreRefusedUntilTheNextMinute() throws Exception {
    Listener hook = activate("POST", "limited", ",\"rateLimitPerMinute\":3");
    long secondOfMinute = (System.currentTimeMillis() / 1000) % 60;
    if (secondOfMinute > 50) { // all four calls within one minute
      Thread.sleep((61 - secondOfMinute) * 1000);
    }
    for (int i = 0; i < 3; i++) {
      given().contentType("application/json").body("{}").post(hook.url()).then().statusCode(202);
    }
    Response refused = given().contentType("application/json").body("{}").post(hook.url());
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
    given()
        .auth()
        .oauth2(token(hook.workspace()))
        .get("/api/v1/webhooks")
        .then()
        .body("items[0].rateLimitPerMinute", equalTo(3));
  }

  static Response signed(Listener hook, String secret, long timestamp, String body) {
    return given()
        .contentType("application/json")
        .header(
            "X-LinkFlow-Signature",
            "t=" + timestamp + ",v1=" + WebhookIngress.hmacHex(secret, timestamp, body.getBytes()))
        .body(body)
        .post(hook.url());
  }

  /** POST /api/v1/webhooks/signing-secrets for node "hook" of {@code workflowId}. */
  static Response createSecret(String token, Object workflowId) {
    return given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body("{\"workflowId\":\"" + workflowId + "\",\"nodeId\":\"hook\"}")
        .post("/api/v1/webhooks/signing-secrets");
  }

  @Test
  void aSignedWebhookRunsOnlyFreshCallsSignedWithItsCurrentSecret() throws Exception {
    Listener hook = activate("POST", "signed", ",\"signature\":\"hmac-sha256\"");
    long now = System.currentTimeMillis() / 1000;
    given()
        .contentType("application/json")
        .body("{}")
        .post(hook.url())
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    // no secret yet: nothing can be signed
    signed(hook, "whsec_guess", now, "{}").then().statusCode(401);

    String editor = TestIssuer.get().token(UUID.randomUUID(), hook.workspace(), Roles.EDITOR);
    createSecret(token(hook.workspace()), hook.workflowId()).then().statusCode(403);
    createSecret(editor, UUID.randomUUID()).then().statusCode(404);
    String secret =
        createSecret(editor, hook.workflowId())
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getString("secret");
    assertThat(secret).startsWith("whsec_");

    String body = "{\"order\":1}";
    Response ok = signed(hook, secret, now, body);
    assertThat(ok.statusCode()).isEqualTo(202);
    JsonNode item =
        JSON.readTree(requested(UUID.fromString(ok.jsonPath().getString("executionId"))).input())
            .get(0);
    assertThat(item.at("/body/order").asInt()).isEqualTo(1);
    assertThat(item.path("headers").has("x-linkflow-signature")).isFalse();

    signed(hook, secret, now, body).then().statusCode(401); // the same signed request again
    signed(hook, secret, now - 600, body).then().statusCode(401); // outside the replay window
    given()
        .contentType("application/json")
        .header(
            "X-LinkFlow-Signature",
            "t=" + now + ",v1=" + WebhookIngress.hmacHex(secret, now, "{}".getBytes()))
        .body("{\"order\":2}")
        .post(hook.url())
        .then()
        .statusCode(401); // body changed

    String rotated =
        createSecret(editor, hook.workflowId())
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getString("secret");
    signed(hook, secret, now + 1, body).then().statusCode(401);
    signed(hook, rotated, now + 1, body).then().statusCode(202);
  }

  @Test
  void theListNeedsATokenAndShowsOnlyTheCallersWorkspace() {
    activate("POST", "private", "");
    given().get("/api/v1/webhooks").then().statusCode(401);
    given()
        .auth()
        .oauth2(token(UUID.randomUUID()))
        .get("/api/v1/webhooks")
        .then()
        .statusCode(200)
        .body("items", hasSize(0));
  }
}
