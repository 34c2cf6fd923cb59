package io.linkflow.executor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.wire.NodeOutcome;
import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.NodeResultV1;
import io.linkflow.testing.LogCapture;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * Commands in, results out, over the real Kafka: built-in nodes, deadlines, variables, unavailable
 * node types, concurrency within one partition, metrics and logs.
 */
@QuarkusTest
@RealInfrastructure(database = "", postgres = false, redis = false)
@WithTestResource(FakeServer.class)
class RunNodeTest {

  @Test
  void aSetNodeRunsThroughTheBuiltInsAndAnswersWithCloudEventHeaders() {
    Commands.Run run =
        new Commands.Run(
                "linkflow.set",
                "{\"mode\":\"manual\",\"fields\":[{\"name\":\"total\",\"type\":\"number\","
                    + "\"value\":\"{{ $json.a + $json.b }}\"}]}")
            .items("{\"a\":1,\"b\":2}", "{\"a\":10,\"b\":5}");

    Commands.Result result = Commands.run(run);

    assertThat(result.payload().status()).isEqualTo("succeeded");
    assertThat(result.main()).hasSize(2);
    assertThat(result.main().get(0).get("total").asInt()).isEqualTo(3);
    assertThat(result.main().get(1).get("total").asInt()).isEqualTo(15);
    NodeResultV1 payload = result.payload();
    assertThat(payload.commandId()).isEqualTo(run.commandId);
    assertThat(payload.attempt()).isEqualTo(1);
    assertThat(payload.worker()).contains("/");
    assertThat(payload.startedAt()).isBeforeOrEqualTo(payload.finishedAt());
    ConsumerRecord<String, byte[]> record = result.record();
    assertThat(record.key()).isEqualTo(run.executionId.toString());
    assertThat(TopicWatcher.header(record, CloudEventHeaders.WORKSPACE_ID))
        .isEqualTo(Commands.WORKSPACE);
    assertThat(TopicWatcher.header(record, CloudEventHeaders.SOURCE))
        .isEqualTo("/services/executor");
  }

  @Test
  void anIfNodeSplitsItemsOnItsPorts() {
    Commands.Run run =
        new Commands.Run(
                "linkflow.if",
                "{\"conditions\":[{\"left\":\"{{ $json.amount }}\",\"operator\":\"greaterThan\","
                    + "\"right\":100}]}")
            .items("{\"amount\":150}", "{\"amount\":50}", "{\"amount\":101}");

    Commands.Result result = Commands.run(run);

    assertThat(result.outcome().outputs().get("true"))
        .extracting(i -> i.get("amount").asInt())
        .containsExactly(150, 101);
    assertThat(result.outcome().outputs().get("false"))
        .extracting(i -> i.get("amount").asInt())
        .containsExactly(50);
  }

  @Test
  void aRunWhoseDeadlinePassedIsAnsweredTimeoutWithoutRunning() {
    FakeServer.route("/deadline-never", (seen, exchange) -> FakeServer.json(exchange, 200, "{}"));
    Commands.Run run =
        new Commands.Run(
            "linkflow.httpRequest", "{\"url\":\"" + FakeServer.url() + "/deadline-never\"}");
    run.deadline = Instant.now().minusSeconds(1);

    Commands.Result result = Commands.run(run);

    assertThat(result.payload().status()).isEqualTo("failed");
    assertThat(result.error().kind()).isEqualTo(NodeOutcome.TIMEOUT);
    assertThat(result.error().retryable()).isTrue();
    assertThat(result.error().message()).contains("was not run").contains("deadline");
    assertThat(FakeServer.seen("/deadline-never")).isEmpty();
  }

  @Test
  void variablesAreReadOnlyWhenTheNodeUsesThem() {
    FakeServer.route(
        "/internal/v1/variables",
        (seen, exchange) ->
            FakeServer.json(exchange, 200, "{\"values\":{\"GREETING\":\"hello\",\"KEY\":\"s3\"}}"));
    int before = FakeServer.seen("/internal/v1/variables").size();

    Commands.Result uses =
        Commands.run(
            new Commands.Run(
                    "linkflow.set",
                    "{\"mode\":\"manual\",\"fields\":[{\"name\":\"greeting\","
                        + "\"value\":\"{{ $vars.GREETING }} world\"}]}")
                .items("{}"));
    assertThat(uses.main().get(0).get("greeting").asText()).isEqualTo("hello world");
    List<FakeServer.Seen> calls = FakeServer.seen("/internal/v1/variables");
    assertThat(calls).hasSize(before + 1);
    FakeServer.Seen call = calls.get(calls.size() - 1);
    assertThat(call.query()).isEqualTo("workspaceId=" + Commands.WORKSPACE);
    assertThat(call.header("Authorization")).startsWith("Bearer ");

    Commands.run(
        new Commands.Run(
                "linkflow.set",
                "{\"mode\":\"manual\",\"fields\":[{\"name\":\"x\",\"value\":\"1\"}]}")
            .items("{}"));
    assertThat(FakeServer.seen("/internal/v1/variables")).hasSize(before + 1);
  }

  @Test
  void unavailableAndForeignNodeTypesFailWithoutRetry() {
    for (String type : List.of("linkflow.file", "linkflow.sendNotification")) {
      Commands.Result result = Commands.run(new Commands.Run(type, "{}"));
      assertThat(result.error().message())
          .isEqualTo("node type " + type + " is not available in this release");
      assertThat(result.error().retryable()).isFalse();
    }
    Commands.Result wait = Commands.run(new Commands.Run("linkflow.wait", "{}"));
    assertThat(wait.error().message()).contains("linkflow.wait is not run here");
  }

  @Test
  void aSlowNodeDoesNotDelayAnotherCommandOfTheSamePartition() {
    FakeServer.route(
        "/slow",
        (seen, exchange) -> {
          try {
            Thread.sleep(4000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          FakeServer.json(exchange, 200, "{\"slow\":true}");
        });
    Commands.Run slow =
        new Commands.Run("linkflow.httpRequest", "{\"url\":\"" + FakeServer.url() + "/slow\"}");
    Commands.Run fast =
        new Commands.Run(
                "linkflow.set",
                "{\"mode\":\"manual\",\"fields\":[{\"name\":\"f\",\"value\":\"1\"}]}")
            .items("{}");
    fast.executionId = slow.executionId; // same key, same partition, behind the slow one

    try (TopicWatcher results = TopicWatcher.watch(Topic.EXECUTION_RESULTS.topicName())) {
      Commands.send(slow);
      Commands.send(fast);
      List<NodeResultV1> answered = new ArrayList<>();
      while (answered.size() < 2) {
        ConsumerRecord<String, byte[]> record =
            results.first(
                CloudEventHeaders.TYPE,
                EventTypes.NODE_RESULT_V1.cloudEventType(),
                CloudEventHeaders.SUBJECT,
                slow.executionId.toString(),
                Commands.WAIT);
        answered.add(EventCodec.read(NodeResultV1.class, record.value()));
      }
      assertThat(answered)
          .extracting(NodeResultV1::nodeRunId)
          .containsExactly(fast.nodeRunId, slow.nodeRunId);
      assertThat(answered.get(0).finishedAt())
          .isBefore(answered.get(1).finishedAt().minusSeconds(2));
      assertThat(answered.get(1).status()).isEqualTo("succeeded");
    }
  }

  @Test
  void everyRunIsCountedTimedAndLoggedWithoutItsData() {
    try (LogCapture logs = LogCapture.start()) {
      Commands.Run run =
          new Commands.Run(
                  "linkflow.set",
                  "{\"mode\":\"manual\",\"fields\":[{\"name\":\"secretish\",\"value\":\"p4ssw0rd-in-params\"}]}")
              .items("{\"card\":\"4111-1111-1111-1111\"}");
      Commands.run(run);

      ExtLogRecord line =
          logs.records().stream()
              .filter(r -> run.nodeRunId.toString().equals(r.getMdc("node_run_id")))
              .findFirst()
              .orElseThrow();
      assertThat(line.getMdc("execution_id")).isEqualTo(run.executionId.toString());
      assertThat(line.getMdc("node_type")).isEqualTo("linkflow.set");
      assertThat(line.getMdc("status")).isEqualTo("succeeded");
      assertThat(line.getMdc("attempt")).isEqualTo("1");
      assertThat(line.getMdc("duration_ms")).isNotBlank();
      assertThat(logs.records())
          .allSatisfy(
              r ->
                  assertThat(r.getFormattedMessage() + r.getMdcCopy())
                      .doesNotContain("p4ssw0rd-in-params")
                      .doesNotContain("4111-1111"));
    }
    String metrics = given().get("/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("worker_jobs_processed_total{status=\"succeeded\",type=\"linkflow.set\"}")
        .contains("worker_job_duration_seconds_bucket{")
        .contains("worker_jobs_running");
  }

  @Test
  void anOutcomeLargerThanTheResultLimitIsAnsweredAsALimitFailure() {
    ObjectNode parameters = Commands.JSON.createObjectNode();
    parameters.put(
        "code", "return Array.from({ length: 9 }, (_, i) => ({ i, s: 'x'.repeat(1000000) }));");
    parameters.put("memoryMb", 256);
    Commands.Run run = new Commands.Run("linkflow.code", "{}");
    run.nodeName = "Big";
    run.parameters = parameters;

    Commands.Result result = Commands.run(run.items("{}"));

    assertThat(result.error().kind()).isEqualTo(NodeOutcome.LIMIT);
    assertThat(result.error().retryable()).isFalse();
    assertThat(result.error().message())
        .isEqualTo(
            "node \"Big\" produced 8.6 MiB of output, more than the 8 MiB result limit"
                + " (linkflow.executor.max-result-bytes)");
  }

  @Test
  void anAbortForARunThatIsNotHereIsIgnoredAndAPoisonRecordGoesToTheDeadLetterQueue() {
    Commands.Run ghost = new Commands.Run("linkflow.noOp", "{}");
    Commands.abort(ghost);
    try (TopicWatcher dlq = TopicWatcher.watch(Topic.DLQ_EVENTS.topicName())) {
      String key = java.util.UUID.randomUUID().toString();
      io.linkflow.testing.TestEvents.publish(
          Topic.EXECUTION_COMMANDS.topicName(),
          key,
          "not a command".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          List.of());
      long deadline = System.nanoTime() + Commands.WAIT.toNanos();
      boolean found = false;
      while (!found && System.nanoTime() < deadline) {
        found = dlq.poll(Duration.ofMillis(200)).stream().anyMatch(r -> key.equals(r.key()));
      }
      assertThat(found).as("the unreadable record is in dlq.events").isTrue();
    }
    // the executor goes on: the next command is answered
    Commands.Result next = Commands.run(new Commands.Run("linkflow.noOp", "{}").items("{\"a\":1}"));
    assertThat(next.main()).extracting(Object::toString).containsExactly("{\"a\":1}");
  }
}
