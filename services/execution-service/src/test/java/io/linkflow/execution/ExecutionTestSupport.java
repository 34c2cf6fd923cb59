package io.linkflow.execution;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.wire.NodeOutcome;
import io.linkflow.engine.wire.NodeTask;
import io.linkflow.engine.wire.Wire;
import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.ExecutionCommandV1;
import io.linkflow.events.payload.ExecutionRequestedV1;
import io.linkflow.events.payload.NodeResultV1;
import io.linkflow.execution.engine.TestWorkflow;
import io.linkflow.security.Roles;
import io.linkflow.testing.TestIssuer;
import io.linkflow.testing.TopicWatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the execution tests share: a workspace, tokens, the fake internal API, and the test acting
 * as the executor (it reads execution.commands and answers on execution.results).
 */
abstract class ExecutionTestSupport {

  static final UUID WORKSPACE = UUID.randomUUID();
  static final Duration WAIT = Duration.ofSeconds(30);
  private static KafkaProducer<String, byte[]> producer;

  static FakeInternalApi api() {
    FakeInternalApi api = FakeInternalApi.get();
    TestIssuer.get()
        .registerClient(
            "execution", "test-execution-secret", "workflow-versions:read variable-values:read");
    return api;
  }

  static String token(String role) {
    return TestIssuer.get().token(UUID.randomUUID(), WORKSPACE, role);
  }

  static String editor() {
    return token(Roles.EDITOR);
  }

  static synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      Properties p = new Properties();
      p.put(
          "bootstrap.servers",
          ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
      p.put("max.request.size", Integer.toString(Topic.LARGE_MESSAGE_BYTES));
      producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  static void publish(Topic topic, EventEnvelope event) {
    try {
      producer()
          .send(
              new ProducerRecord<>(
                  topic.topicName(),
                  null,
                  event.key(),
                  event.data(),
                  CloudEventHeaders.toHeaders(event)))
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Publishes all of {@code events} at once (they reach the consumer in as few polls as may be).
   */
  static void publishAll(Topic topic, List<EventEnvelope> all) {
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    for (EventEnvelope event : all) {
      sent.add(
          producer()
              .send(
                  new ProducerRecord<>(
                      topic.topicName(),
                      null,
                      event.key(),
                      event.data(),
                      CloudEventHeaders.toHeaders(event))));
    }
    producer().flush();
    try {
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A request to run {@code wf} (served by the fake workflow-service), not yet published. */
  static EventEnvelope requestEvent(TestWorkflow wf, UUID executionId, String input) {
    FakeInternalApi.get().versions.put(wf.versionId().toString(), wf.json());
    return EventCodec.envelope(
        EventTypes.EXECUTION_REQUESTED_V1,
        "/services/workflow",
        executionId.toString(),
        WORKSPACE.toString(),
        new ExecutionRequestedV1(executionId, wf.workflowId(), wf.versionId(), "manual", input));
  }

  /** Serves the workflow version and asks for an execution of it; the execution id. */
  static UUID trigger(TestWorkflow wf, String input) {
    UUID id = UUID.randomUUID();
    request(wf, id, input);
    return id;
  }

  static EventEnvelope request(TestWorkflow wf, UUID executionId, String input) {
    FakeInternalApi.get().versions.put(wf.versionId().toString(), wf.json());
    EventEnvelope event =
        EventCodec.envelope(
            EventTypes.EXECUTION_REQUESTED_V1,
            "/services/workflow",
            executionId.toString(),
            WORKSPACE.toString(),
            new ExecutionRequestedV1(
                executionId, wf.workflowId(), wf.versionId(), "manual", input));
    publish(Topic.WORKFLOW_TRIGGERS, event);
    return event;
  }

  /** Makes {@code wf} the version its workflow runs now (what workflow-service answers). */
  static void announce(TestWorkflow wf) {
    FakeInternalApi.get().versions.put(wf.versionId().toString(), wf.json());
    FakeInternalApi.get().current.put(wf.workflowId().toString(), wf.json());
  }

  /** GET /api/v1/executions/{id} once it is in one of {@code statuses}. */
  static JsonNode awaitStatus(UUID executionId, String... statuses) {
    Set<String> wanted = Set.of(statuses);
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      var response =
          given().auth().oauth2(editor()).get("/api/v1/executions/" + executionId).andReturn();
      if (response.statusCode() == 200) {
        last = Wire.read(response.asString(), JsonNode.class);
        if (wanted.contains(last.path("status").asText())) {
          return last;
        }
      }
      pause(50);
    }
    throw new AssertionError(
        "execution " + executionId + " not " + wanted + " within " + WAIT + "; last: " + last);
  }

  /** The next command of {@code type} for the execution. */
  static ExecutionCommandV1 command(TopicWatcher commands, String type, UUID executionId) {
    ConsumerRecord<String, byte[]> record =
        commands.first(
            CloudEventHeaders.TYPE, type, CloudEventHeaders.SUBJECT, executionId.toString(), WAIT);
    EventEnvelope event = CloudEventHeaders.fromHeaders(record.headers(), record.value());
    return EventCodec.read(ExecutionCommandV1.class, event.data());
  }

  static ExecutionCommandV1 runNode(TopicWatcher commands, UUID executionId) {
    return command(commands, EventTypes.RUN_NODE_V1.cloudEventType(), executionId);
  }

  static NodeTask task(ExecutionCommandV1 command) {
    return Wire.read(command.task(), NodeTask.class);
  }

  /** Answers a command as an executor would. */
  static void answer(ExecutionCommandV1 command, NodeOutcome outcome) {
    NodeResultV1 result =
        new NodeResultV1(
            command.commandId(),
            command.executionId(),
            command.nodeRunId(),
            command.attempt(),
            outcome.succeeded() ? "succeeded" : "failed",
            Wire.write(outcome),
            Instant.now(),
            Instant.now(),
            "test");
    publish(
        Topic.EXECUTION_RESULTS,
        EventCodec.envelope(
            EventTypes.NODE_RESULT_V1,
            "/services/executor",
            command.executionId().toString(),
            WORKSPACE.toString(),
            result));
  }

  static NodeOutcome items(String json) {
    List<ObjectNode> list = Wire.read(json, ItemList.class);
    return new NodeOutcome(Map.of("main", list), null, null);
  }

  static final class ItemList extends java.util.ArrayList<ObjectNode> {}

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
