package io.linkflow.execution;

import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkflow.engine.wire.NodeOutcome;
import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.ExecutionCommandV1;
import io.linkflow.events.payload.ExecutionCompletedV1;
import io.linkflow.events.payload.ExecutionStatusChangedV1;
import io.linkflow.execution.engine.TestWorkflow;
import io.linkflow.security.Roles;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Executions end to end through real PostgreSQL and Kafka: requests in, commands out, results in,
 * every state and the API. The test plays the executor.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_execution", redis = false)
class ExecutionFlowTest extends ExecutionTestSupport {

  static final String SET_TOTAL =
      "{\"mode\":\"manual\",\"fields\":[{\"name\":\"total\",\"type\":\"number\","
          + "\"value\":\"{{ $json.price * $json.qty }}\"}]}";
  static final String IF_BIG =
      "{\"conditions\":[{\"left\":\"{{ $json.total }}\",\"operator\":\"greaterThan\","
          + "\"right\":100}]}";
  static final String HTTP = "{\"url\":\"https://api.example.com/orders/{{ $json.id }}\"}";

  static TopicWatcher commands;
  static TopicWatcher events;
  static TopicWatcher analytics;

  @BeforeAll
  static void watch() {
    api();
    commands = TopicWatcher.watch(Topic.EXECUTION_COMMANDS.topicName());
    events = TopicWatcher.watch(Topic.EXECUTION_EVENTS.topicName());
    analytics = TopicWatcher.watch(Topic.ANALYTICS_EVENTS.topicName());
  }

  @AfterAll
  static void close() {
    commands.close();
    events.close();
    analytics.close();
  }

  static TestWorkflow manualSetIf() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("s", "set", SET_TOTAL);
    wf.node("i", "if", IF_BIG);
    wf.edge("t", "s").edge("s", "i");
    return wf;
  }

  static TestWorkflow manualHttpSet() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("h", "httpRequest", HTTP);
    wf.node("s", "set", SET_TOTAL);
    wf.edge("t", "h").edge("h", "s");
    return wf;
  }

  private static ExecutionStatusChangedV1 statusEvent(UUID id, String to) {
    while (true) {
      ConsumerRecord<String, byte[]> r =
          events.first(
              CloudEventHeaders.TYPE,
              EventTypes.EXECUTION_STATUS_CHANGED_V1.cloudEventType(),
              CloudEventHeaders.SUBJECT,
              id.toString(),
              WAIT);
      ExecutionStatusChangedV1 e =
          EventCodec.read(
              ExecutionStatusChangedV1.class,
              CloudEventHeaders.fromHeaders(r.headers(), r.value()).data());
      if (to.equals(e.to())) {
        return e;
      }
    }
  }

  @Test
  void pureNodesRunInlineAndEveryStateChangeIsPublished() {
    UUID id = trigger(manualSetIf(), "[{\"price\":30,\"qty\":4},{\"price\":5,\"qty\":1}]");

    JsonNode done = awaitStatus(id, "succeeded");
    assertThat(done.path("mode").asText()).isEqualTo("manual");
    assertThat(done.path("nodeRunCount").asInt()).isEqualTo(3);
    assertThat(done.path("nodeRuns")).hasSize(3);
    JsonNode ifRun = done.path("nodeRuns").get(2);
    assertThat(ifRun.path("nodeName").asText()).isEqualTo("I");
    assertThat(ifRun.at("/output/true/0/total").asInt()).isEqualTo(120);
    assertThat(ifRun.at("/output/false/0/total").asInt()).isEqualTo(5);
    assertThat(ifRun.at("/input/main")).hasSize(2);

    // created and finished in one transaction: one committed change, from nothing to succeeded
    assertThat(statusEvent(id, "succeeded").from()).isNull();
    ConsumerRecord<String, byte[]> summary =
        analytics.first(
            CloudEventHeaders.TYPE,
            EventTypes.EXECUTION_COMPLETED_V1.cloudEventType(),
            CloudEventHeaders.SUBJECT,
            id.toString(),
            WAIT);
    ExecutionCompletedV1 completed =
        EventCodec.read(
            ExecutionCompletedV1.class,
            CloudEventHeaders.fromHeaders(summary.headers(), summary.value()).data());
    assertThat(completed.status()).isEqualTo("succeeded");
    assertThat(completed.nodeRuns()).isEqualTo(3);

    // node runs and events get time-ordered ids (UUID v7), so the indexes on them grow at the
    // right edge instead of taking a random page (and a full-page WAL image) per insert
    List<String> runIds = new ArrayList<>();
    done.path("nodeRuns").forEach(run -> runIds.add(run.path("id").asText()));
    assertThat(runIds).allSatisfy(run -> assertThat(UUID.fromString(run).version()).isEqualTo(7));
    assertThat(runIds).as("node runs in the order they ran").isSorted();
    String eventId = new String(summary.headers().lastHeader(CloudEventHeaders.ID).value(), UTF_8);
    assertThat(UUID.fromString(eventId).version()).isEqualTo(7);
  }

  @Test
  void aRedeliveredRequestCreatesOneExecution() {
    TestWorkflow wf = manualHttpSet();
    UUID id = UUID.randomUUID();
    EventEnvelope first = request(wf, id, "[{\"id\":1}]");
    publish(Topic.WORKFLOW_TRIGGERS, first); // Kafka redelivers the same event
    request(wf, id, "[{\"id\":1}]"); // the same request again under another event id

    ExecutionCommandV1 command = runNode(commands, id);
    answer(command, items("[{\"price\":1,\"qty\":2}]"));
    JsonNode done = awaitStatus(id, "succeeded");
    assertThat(done.path("nodeRuns")).hasSize(3);
    assertThat(commands.poll(Duration.ofMillis(500)))
        .noneMatch(
            r ->
                id.toString().equals(TopicWatcher.header(r, CloudEventHeaders.SUBJECT))
                    && EventTypes.RUN_NODE_V1
                        .cloudEventType()
                        .equals(TopicWatcher.header(r, CloudEventHeaders.TYPE)));
  }

  @jakarta.inject.Inject io.micrometer.core.instrument.MeterRegistry meters;

  @Test
  void aPollOfRequestsIsWrittenTogetherAndEachExecutionOnce() {
    TestWorkflow plain = manualSetIf();
    TestWorkflow limited = manualSetIf(); // a concurrency limit: queued in order, one by one
    limited.settings.put("concurrencyLimit", 1);
    TestWorkflow gone = manualSetIf(); // its version is not served
    List<UUID> plainIds = new ArrayList<>();
    List<UUID> limitedIds = new ArrayList<>();
    List<EventEnvelope> burst = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      UUID id = UUID.randomUUID();
      plainIds.add(id);
      burst.add(requestEvent(plain, id, "[{\"price\":" + i + ",\"qty\":3}]"));
      if (i % 10 == 0) {
        UUID queued = UUID.randomUUID();
        limitedIds.add(queued);
        burst.add(requestEvent(limited, queued, "[{\"price\":1,\"qty\":1}]"));
      }
    }
    UUID duplicated = plainIds.get(7);
    burst.add(requestEvent(plain, duplicated, "[{\"price\":7,\"qty\":3}]"));
    UUID missing = UUID.randomUUID();
    burst.add(requestEvent(gone, missing, "[{}]"));
    FakeInternalApi.get().versions.remove(gone.versionId().toString());
    double batchedBefore = meters.counter("execution.requests.batched").count();

    publishAll(Topic.WORKFLOW_TRIGGERS, burst);

    for (UUID id : plainIds) {
      JsonNode done = awaitStatus(id, "succeeded");
      assertThat(done.path("nodeRuns")).hasSize(3);
      assertThat(done.at("/nodeRuns/2/input/main/0/total").asInt())
          .isEqualTo(3 * plainIds.indexOf(id));
    }
    for (UUID id : limitedIds) {
      assertThat(awaitStatus(id, "succeeded").path("nodeRuns")).hasSize(3);
    }
    assertThat(awaitStatus(missing, "failed").at("/error/message").asText())
        .contains("does not exist");
    // the 40 new executions of the plain workflow went the batch way, the others one by one
    assertThat(meters.counter("execution.requests.batched").count() - batchedBefore)
        .isEqualTo(40.0);
    // the request sent twice: one execution, one announcement
    assertThat(statusEvent(duplicated, "succeeded").from()).isNull();
    assertThat(events.poll(Duration.ofSeconds(1)))
        .noneMatch(
            r -> duplicated.toString().equals(TopicWatcher.header(r, CloudEventHeaders.SUBJECT)));
  }

  @Test
  void anUnreadableRequestIsParkedInTheDeadLetterQueueAndTheOthersRun() {
    try (TopicWatcher dlq = TopicWatcher.watch(Topic.DLQ_EVENTS.topicName())) {
      UUID poisonId = UUID.randomUUID();
      UUID goodId = UUID.randomUUID();
      EventEnvelope good = requestEvent(manualSetIf(), goodId, "[{}]");
      EventEnvelope poison =
          new EventEnvelope(
              poisonId,
              EventTypes.EXECUTION_REQUESTED_V1.cloudEventType(),
              "/services/workflow",
              poisonId.toString(),
              Instant.now(),
              WORKSPACE.toString(),
              null,
              null,
              "{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      publishAll(Topic.WORKFLOW_TRIGGERS, List.of(poison, good));

      ConsumerRecord<String, byte[]> parked =
          dlq.await(CloudEventHeaders.SUBJECT, poisonId.toString(), WAIT);
      assertThat(new String(parked.value(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("{not json");
      awaitStatus(goodId, "succeeded");
    }
  }

  /** A webhook call's request to run {@code wf} from its trigger {@code t}. */
  static UUID webhookCall(TestWorkflow wf, String body) {
    UUID id = UUID.randomUUID();
    FakeInternalApi.get().versions.put(wf.versionId().toString(), wf.json());
    publish(
        Topic.WEBHOOK_EVENTS,
        EventCodec.envelope(
            EventTypes.EXECUTION_REQUESTED_V1,
            "/services/webhook",
            id.toString(),
            WORKSPACE.toString(),
            new io.linkflow.events.payload.ExecutionRequestedV1(
                id,
                wf.workflowId(),
                wf.versionId(),
                "webhook",
                "[{\"body\":" + body + "}]",
                "t",
                null,
                null)));
    return id;
  }

  static io.linkflow.events.payload.WebhookResponseV1 webhookResponse(UUID id) {
    ConsumerRecord<String, byte[]> r =
        events.first(
            CloudEventHeaders.TYPE,
            EventTypes.WEBHOOK_RESPONSE_V1.cloudEventType(),
            CloudEventHeaders.SUBJECT,
            id.toString(),
            WAIT);
    return EventCodec.read(
        io.linkflow.events.payload.WebhookResponseV1.class,
        CloudEventHeaders.fromHeaders(r.headers(), r.value()).data());
  }

  static boolean anyWebhookResponse(UUID id) {
    return events.poll(Duration.ofSeconds(1)).stream()
        .anyMatch(
            r ->
                id.toString().equals(TopicWatcher.header(r, CloudEventHeaders.SUBJECT))
                    && EventTypes.WEBHOOK_RESPONSE_V1
                        .cloudEventType()
                        .equals(TopicWatcher.header(r, CloudEventHeaders.TYPE)));
  }

  @Test
  void aRespondToWebhookNodeAnswersTheWaitingCallOnce() throws Exception {
    TestWorkflow wf = new TestWorkflow();
    wf.node(
        "t",
        "webhookTrigger",
        "{\"path\":\"orders\",\"method\":\"POST\",\"responseMode\":\"responseNode\"}");
    wf.node(
        "s",
        "set",
        "{\"mode\":\"manual\",\"fields\":[{\"name\":\"total\",\"type\":\"number\",\"value\":\"{{ $json.body.price * 2 }}\"}]}");
    wf.node(
        "r",
        "respondToWebhook",
        "{\"respondWith\":\"json\",\"statusCode\":201,\"headers\":{\"X-Order\":\"{{ $json.total }}\"},\"body\":\"{\\\"total\\\": {{ $json.total }} }\"}");
    wf.node("r2", "respondToWebhook", "{\"respondWith\":\"text\",\"body\":\"too late\"}");
    wf.edge("t", "s").edge("s", "r").edge("r", "r2");
    UUID id = webhookCall(wf, "{\"price\":21}");

    var response = webhookResponse(id);
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.headers())
        .containsEntry("X-Order", "42")
        .containsEntry("Content-Type", "application/json");
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(response.body())
                .path("total")
                .asInt())
        .isEqualTo(42);
    awaitStatus(id, "succeeded");
    assertThat(anyWebhookResponse(id)).isFalse(); // the second Respond node answers nobody
  }

  @Test
  void aLastNodeWebhookIsAnsweredWithTheLastItemOrAProblem() {
    TestWorkflow ok = new TestWorkflow();
    ok.node(
        "t",
        "webhookTrigger",
        "{\"path\":\"a\",\"method\":\"POST\",\"responseMode\":\"lastNode\"}");
    ok.node(
        "s",
        "set",
        "{\"mode\":\"manual\",\"fields\":[{\"name\":\"seen\",\"type\":\"string\",\"value\":\"{{ $json.body.name }}\"}]}");
    ok.edge("t", "s");
    UUID good = webhookCall(ok, "{\"name\":\"Ada\"}");
    var answer = webhookResponse(good);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).contains("\"seen\":\"Ada\"");

    TestWorkflow bad = new TestWorkflow();
    bad.node(
        "t",
        "webhookTrigger",
        "{\"path\":\"b\",\"method\":\"POST\",\"responseMode\":\"lastNode\"}");
    bad.node("x", "stopAndError", "{\"message\":\"no stock\"}");
    bad.edge("t", "x");
    UUID failed = webhookCall(bad, "{}");
    var problem = webhookResponse(failed);
    assertThat(problem.status()).isEqualTo(500);
    assertThat(problem.headers()).containsEntry("Content-Type", "application/problem+json");
    assertThat(problem.body()).contains("no stock").contains(failed.toString());

    TestWorkflow immediate = new TestWorkflow();
    immediate.node("t", "webhookTrigger", "{\"path\":\"c\",\"method\":\"POST\"}");
    immediate.node("r", "respondToWebhook", "{\"respondWith\":\"noData\"}");
    immediate.edge("t", "r");
    UUID nobodyWaits = webhookCall(immediate, "{}");
    awaitStatus(nobodyWaits, "succeeded");
    assertThat(anyWebhookResponse(nobodyWaits)).isFalse();
  }

  @Test
  void anIoNodeIsDispatchedAndADuplicateResultChangesNothing() {
    UUID id = trigger(manualHttpSet(), "[{\"id\":7}]");
    ExecutionCommandV1 command = runNode(commands, id);
    assertThat(task(command).node().type()).isEqualTo("linkflow.httpRequest");
    assertThat(task(command).inputs().get("main").get(0).get("id").asInt()).isEqualTo(7);
    assertThat(task(command).workspaceId()).isEqualTo(WORKSPACE.toString());
    assertThat(command.deadline()).isAfter(Instant.now().plusSeconds(200));
    assertThat(awaitStatus(id, "running").path("nodeRuns").get(1).path("status").asText())
        .isEqualTo("running");

    assertThat(statusEvent(id, "running").from()).isNull();
    answer(command, items("[{\"price\":3,\"qty\":3}]"));
    answer(command, items("[{\"price\":1000,\"qty\":1000}]"));
    JsonNode done = awaitStatus(id, "succeeded");
    assertThat(statusEvent(id, "succeeded").from()).isEqualTo("running");
    pause(500); // the duplicate has been consumed by now (same partition, after the first)
    JsonNode again =
        given()
            .auth()
            .oauth2(editor())
            .get("/api/v1/executions/" + id)
            .then()
            .statusCode(200)
            .extract()
            .as(JsonNode.class);
    assertThat(again.path("nodeRuns")).hasSize(3);
    assertThat(again.at("/nodeRuns/2/output/main/0/total").asInt()).isEqualTo(9);
    assertThat(done.path("finishedAt").asText()).isEqualTo(again.path("finishedAt").asText());
  }

  @Test
  void aRetryableFailureIsRetriedWithBackoffUntilItSucceeds() {
    TestWorkflow wf = manualHttpSet();
    wf.nodeAt(1).putObject("retry").put("maxAttempts", 3).put("delaySeconds", 1);
    UUID id = trigger(wf, "[{\"id\":1}]");

    ExecutionCommandV1 first = runNode(commands, id);
    Instant failedAt = Instant.now();
    answer(first, NodeOutcome.failure("HTTP 503 from api.example.com", "node", true));
    ExecutionCommandV1 second = runNode(commands, id);
    assertThat(Duration.between(failedAt, Instant.now())).isGreaterThan(Duration.ofMillis(700));
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.nodeRunId()).isNotEqualTo(first.nodeRunId());
    answer(second, NodeOutcome.failure("HTTP 503 from api.example.com", "node", true));
    ExecutionCommandV1 third = runNode(commands, id);
    assertThat(third.attempt()).isEqualTo(3);
    answer(third, items("[{\"price\":2,\"qty\":2}]"));

    JsonNode done = awaitStatus(id, "succeeded");
    List<String> runs = new ArrayList<>();
    done.path("nodeRuns")
        .forEach(
            r ->
                runs.add(
                    r.path("nodeId").asText()
                        + r.path("attempt").asInt()
                        + r.path("status").asText()));
    assertThat(runs)
        .containsExactly("t1succeeded", "h1failed", "h2failed", "h3succeeded", "s1succeeded");
  }

  @Test
  void aNonRetryableFailureFailsTheExecutionAndStartsTheErrorWorkflow() {
    TestWorkflow handler = new TestWorkflow();
    handler.node("e", "errorTrigger", "{}");
    handler.node("n", "noOp", "{}");
    handler.edge("e", "n");
    announce(handler);
    TestWorkflow wf = manualHttpSet();
    wf.settings.put("errorWorkflowId", handler.workflowId().toString());
    UUID id = trigger(wf, "[{\"id\":1}]");
    answer(
        runNode(commands, id), NodeOutcome.failure("HTTP 404 from api.example.com", "node", false));

    JsonNode failed = awaitStatus(id, "failed");
    assertThat(failed.at("/error/message").asText()).isEqualTo("HTTP 404 from api.example.com");
    assertThat(failed.at("/error/nodeId").asText()).isEqualTo("h");

    JsonNode errorRun = awaitListed(handler.workflowId(), "succeeded");
    assertThat(errorRun.path("mode").asText()).isEqualTo("error");
    JsonNode detail = awaitStatus(UUID.fromString(errorRun.path("id").asText()), "succeeded");
    JsonNode item = detail.at("/nodeRuns/0/output/main/0");
    assertThat(item.at("/execution/id").asText()).isEqualTo(id.toString());
    assertThat(item.at("/execution/error/message").asText()).contains("404");
    assertThat(item.at("/execution/lastNodeExecuted").asText()).isEqualTo("H");
    assertThat(item.at("/workflow/id").asText()).isEqualTo(wf.workflowId().toString());
  }

  private static JsonNode awaitListed(UUID workflowId, String status) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode page =
          given()
              .auth()
              .oauth2(editor())
              .queryParam("workflowId", workflowId.toString())
              .queryParam("status", status)
              .get("/api/v1/executions")
              .then()
              .statusCode(200)
              .extract()
              .as(JsonNode.class);
      if (page.path("items").size() > 0) {
        return page.path("items").get(0);
      }
      pause(100);
    }
    throw new AssertionError("no " + status + " execution of " + workflowId);
  }

  @Test
  void continueOnFailPassesTheErrorOnAsAnItem() {
    TestWorkflow wf = manualHttpSet();
    wf.nodeAt(1).put("continueOnFail", true);
    wf.nodeAt(2)
        .putObject("parameters")
        .put("mode", "manual")
        .putArray("fields")
        .addObject()
        .put("name", "why")
        .put("value", "{{ $json.error.message }}");
    UUID id = trigger(wf, "[{\"id\":1}]");
    answer(runNode(commands, id), NodeOutcome.failure("HTTP 404", "node", false));
    JsonNode done = awaitStatus(id, "succeeded");
    assertThat(done.at("/nodeRuns/1/status").asText()).isEqualTo("failed");
    assertThat(done.at("/nodeRuns/2/output/main/0/why").asText()).isEqualTo("HTTP 404");
  }

  @Test
  void cancelAbortsTheRunningNodeAndALateResultIsIgnored() {
    UUID id = trigger(manualHttpSet(), "[{\"id\":1}]");
    ExecutionCommandV1 command = runNode(commands, id);

    given()
        .auth()
        .oauth2(token(Roles.VIEWER))
        .post("/api/v1/executions/" + id + "/cancel")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(editor())
        .post("/api/v1/executions/" + id + "/cancel")
        .then()
        .statusCode(200)
        .body("status", equalTo("cancelled"));
    ExecutionCommandV1 abort = command(commands, EventTypes.ABORT_NODE_V1.cloudEventType(), id);
    assertThat(abort.nodeRunId()).isEqualTo(command.nodeRunId());
    given()
        .auth()
        .oauth2(editor())
        .post("/api/v1/executions/" + id + "/cancel")
        .then()
        .statusCode(409)
        .contentType("application/problem+json");

    answer(command, items("[{\"price\":1,\"qty\":1}]"));
    pause(500);
    JsonNode after = awaitStatus(id, "cancelled");
    assertThat(after.path("nodeRuns")).hasSize(2);
    assertThat(after.at("/nodeRuns/1/status").asText()).isEqualTo("cancelled");
  }

  @Test
  void anExecutionPastItsTimeoutIsTimedOut() {
    TestWorkflow wf = manualHttpSet();
    wf.settings.put("executionTimeoutSeconds", 1);
    UUID id = trigger(wf, "[{\"id\":1}]");
    ExecutionCommandV1 command = runNode(commands, id);
    JsonNode timedOut = awaitStatus(id, "timed_out");
    assertThat(timedOut.at("/error/message").asText()).contains("1 s");
    assertThat(command(commands, EventTypes.ABORT_NODE_V1.cloudEventType(), id).nodeRunId())
        .isEqualTo(command.nodeRunId());
  }

  @Test
  void aCommandWithoutResultIsSentAgainWhenItsLeaseExpires() {
    TestWorkflow wf = manualHttpSet();
    wf.nodeAt(1).put("timeoutSeconds", 1);
    UUID id = trigger(wf, "[{\"id\":1}]");
    ExecutionCommandV1 lost = runNode(commands, id);
    ExecutionCommandV1 again = runNode(commands, id);
    assertThat(again.nodeRunId()).isEqualTo(lost.nodeRunId());
    assertThat(again.commandId()).isNotEqualTo(lost.commandId());
    answer(again, items("[{\"price\":1,\"qty\":1}]"));
    assertThat(awaitStatus(id, "succeeded").path("nodeRuns")).hasSize(3);
  }

  @Test
  void aWaitNodeHoldsTheExecutionWaitingThenResumes() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("w", "wait", "{\"resume\":\"duration\",\"amount\":1.5,\"unit\":\"seconds\"}");
    wf.node("s", "set", SET_TOTAL);
    wf.edge("t", "w").edge("w", "s");
    Instant started = Instant.now();
    UUID id = trigger(wf, "[{\"price\":2,\"qty\":5}]");
    JsonNode waiting = awaitStatus(id, "waiting");
    assertThat(waiting.at("/nodeRuns/1/status").asText()).isEqualTo("waiting");
    JsonNode done = awaitStatus(id, "succeeded");
    assertThat(Duration.between(started, Instant.parse(done.path("finishedAt").asText())))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    assertThat(done.at("/nodeRuns/2/output/main/0/total").asInt()).isEqualTo(10);
  }

  @Test
  void aSubWorkflowRunsAndItsLastNodeOutputIsTheNodeOutput() {
    TestWorkflow child = manualSetIf();
    announce(child);
    TestWorkflow parent = new TestWorkflow();
    parent.node("t", "manualTrigger", "{}");
    parent.node("x", "executeWorkflow", "{\"workflowId\":\"" + child.workflowId() + "\"}");
    parent.edge("t", "x");
    UUID id = trigger(parent, "[{\"price\":50,\"qty\":3}]");
    JsonNode done = awaitStatus(id, "succeeded");
    assertThat(done.at("/nodeRuns/1/output/main/0/total").asInt()).isEqualTo(150);
    JsonNode childRun = awaitListed(child.workflowId(), "succeeded");
    assertThat(childRun.path("mode").asText()).isEqualTo("sub-workflow");
    assertThat(childRun.path("parentExecutionId").asText()).isEqualTo(id.toString());
  }

  @Test
  void theConcurrencyLimitQueuesExcessExecutionsInOrder() {
    TestWorkflow wf = manualHttpSet();
    wf.settings.put("concurrencyLimit", 1);
    UUID a = trigger(wf, "[{\"id\":1}]");
    ExecutionCommandV1 ca = runNode(commands, a);
    // b reaches the engine before c: requests on different partitions have no order of their own
    UUID b = trigger(wf, "[{\"id\":2}]");
    assertThat(awaitStatus(b, "created").path("startedAt").isMissingNode()).isTrue();
    UUID c = trigger(wf, "[{\"id\":3}]");
    assertThat(awaitStatus(c, "created").path("startedAt").isMissingNode()).isTrue();

    answer(ca, items("[{\"price\":1,\"qty\":1}]"));
    awaitStatus(a, "succeeded");
    ExecutionCommandV1 cb = runNode(commands, b);
    assertThat(awaitStatus(c, "created").path("status").asText()).isEqualTo("created");
    answer(cb, items("[{\"price\":1,\"qty\":1}]"));
    answer(runNode(commands, c), items("[{\"price\":1,\"qty\":1}]"));
    awaitStatus(c, "succeeded");
  }

  @Test
  void retryStartsANewExecutionFromTheFailedNodeWithItsInput() {
    UUID id = trigger(manualHttpSet(), "[{\"id\":42}]");
    answer(runNode(commands, id), NodeOutcome.failure("HTTP 500", "node", false));
    awaitStatus(id, "failed");

    JsonNode retried =
        given()
            .auth()
            .oauth2(editor())
            .post("/api/v1/executions/" + id + "/retry")
            .then()
            .statusCode(202)
            .extract()
            .as(JsonNode.class);
    UUID second = UUID.fromString(retried.path("id").asText());
    assertThat(retried.path("retryOf").asText()).isEqualTo(id.toString());
    ExecutionCommandV1 again = runNode(commands, second);
    assertThat(task(again).node().id()).isEqualTo("h");
    assertThat(task(again).inputs().get("main").get(0).get("id").asInt()).isEqualTo(42);
    assertThat(task(again).nodes()).containsKey("T");
    answer(again, items("[{\"price\":4,\"qty\":4}]"));
    JsonNode done = awaitStatus(second, "succeeded");
    assertThat(done.path("mode").asText()).isEqualTo("retry");
    assertThat(done.at("/nodeRuns/1/output/main/0/total").asInt()).isEqualTo(16);

    given()
        .auth()
        .oauth2(editor())
        .post("/api/v1/executions/" + second + "/retry")
        .then()
        .statusCode(409);
  }

  @Test
  void listingFiltersPagesAndIsolatesWorkspacesAndDeleteNeedsATerminalState() {
    TestWorkflow wf = manualSetIf();
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(trigger(wf, "[{\"price\":1,\"qty\":1}]"));
    }
    ids.forEach(id -> awaitStatus(id, "succeeded"));
    JsonNode page =
        given()
            .auth()
            .oauth2(editor())
            .queryParam("workflowId", wf.workflowId().toString())
            .queryParam("limit", 2)
            .get("/api/v1/executions")
            .then()
            .statusCode(200)
            .extract()
            .as(JsonNode.class);
    assertThat(page.path("items")).hasSize(2);
    assertThat(page.path("items").get(0).has("nodeRuns")).isFalse();
    JsonNode next =
        given()
            .auth()
            .oauth2(editor())
            .queryParam("workflowId", wf.workflowId().toString())
            .queryParam("cursor", page.path("nextCursor").asText())
            .get("/api/v1/executions")
            .then()
            .statusCode(200)
            .extract()
            .as(JsonNode.class);
    assertThat(next.path("items")).hasSize(1);
    assertThat(next.path("nextCursor").isNull() || next.path("nextCursor").isMissingNode())
        .isTrue();

    given()
        .auth()
        .oauth2(editor())
        .queryParam("status", "running,bogus")
        .get("/api/v1/executions")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");

    String stranger =
        io.linkflow.testing.TestIssuer.get()
            .token(UUID.randomUUID(), UUID.randomUUID(), Roles.OWNER);
    given().auth().oauth2(stranger).get("/api/v1/executions/" + ids.get(0)).then().statusCode(404);
    given()
        .auth()
        .oauth2(stranger)
        .delete("/api/v1/executions/" + ids.get(0))
        .then()
        .statusCode(404);
    given().get("/api/v1/executions").then().statusCode(401);

    given()
        .auth()
        .oauth2(editor())
        .delete("/api/v1/executions/" + ids.get(0))
        .then()
        .statusCode(204);
    given().auth().oauth2(editor()).get("/api/v1/executions/" + ids.get(0)).then().statusCode(404);

    UUID running = trigger(manualHttpSet(), "[{\"id\":1}]");
    runNode(commands, running);
    given().auth().oauth2(editor()).delete("/api/v1/executions/" + running).then().statusCode(409);
  }

  @Test
  void aVersionThatDoesNotExistFailsTheExecutionVisibly() {
    TestWorkflow wf = manualSetIf();
    UUID id = UUID.randomUUID();
    request(wf, id, "[{}]");
    FakeInternalApi.get().versions.remove(wf.versionId().toString());
    UUID missing = UUID.randomUUID();
    TestWorkflow other = manualSetIf();
    publish(
        Topic.WORKFLOW_TRIGGERS,
        EventCodec.envelope(
            EventTypes.EXECUTION_REQUESTED_V1,
            "/services/workflow",
            missing.toString(),
            WORKSPACE.toString(),
            new io.linkflow.events.payload.ExecutionRequestedV1(
                missing, other.workflowId(), other.versionId(), "manual", "[{}]")));
    JsonNode failed = awaitStatus(missing, "failed");
    assertThat(failed.at("/error/message").asText()).contains("does not exist");
  }

  @Test
  void theDataSavingPolicyNoneKeepsStatusesButNoItems() {
    TestWorkflow wf = manualSetIf();
    wf.settings.put("saveExecutionData", "none");
    UUID id = trigger(wf, "[{\"price\":30,\"qty\":4}]");
    JsonNode done = awaitStatus(id, "succeeded");
    assertThat(done.path("nodeRuns")).hasSize(3);
    assertThat(done.path("nodeRuns").get(1).has("output")).isFalse();
    assertThat(done.path("nodeRuns").get(1).has("input")).isFalse();
    assertThat(done.has("input")).isFalse();
  }

  @Test
  void executionDataOverTheLimitFailsTheExecutionClearly() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("h", "httpRequest", HTTP);
    wf.node("h2", "httpRequest", HTTP);
    wf.edge("t", "h").edge("h", "h2");
    UUID id = trigger(wf, "[{\"id\":1}]");
    StringBuilder big = new StringBuilder("[");
    for (int i = 0; i < 3; i++) {
      big.append(i == 0 ? "" : ",")
          .append("{\"blob\":\"")
          .append("x".repeat(800_000))
          .append("\"}");
    }
    answer(runNode(commands, id), items(big.append("]").toString()));
    JsonNode failed = awaitStatus(id, "failed");
    assertThat(failed.at("/error/message").asText())
        .contains("execution's data is")
        .contains("more than the 2.0 MiB limit");
  }
}
