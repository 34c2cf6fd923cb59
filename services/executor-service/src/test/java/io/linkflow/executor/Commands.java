package io.linkflow.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.linkflow.events.payload.NodeResultV1;
import io.linkflow.testing.TestEvents;
import io.linkflow.testing.TopicWatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Publishes commands as execution-service does and reads the executor's results. */
final class Commands {

  static final Duration WAIT = Duration.ofSeconds(45);
  static final ObjectMapper JSON = new ObjectMapper();
  static final String WORKSPACE = UUID.randomUUID().toString();

  private Commands() {}

  /** A node run to send; change what a test needs. */
  static final class Run {
    UUID executionId = UUID.randomUUID();
    final UUID nodeRunId = UUID.randomUUID();
    final UUID commandId = UUID.randomUUID();
    String nodeName = "Node";
    String type;
    ObjectNode parameters;
    Map<String, String> credentials = new HashMap<>();
    Integer timeoutSeconds;
    List<ObjectNode> items = List.of();
    Map<String, List<JsonNode>> nodes = Map.of();
    Instant deadline = Instant.now().plusSeconds(60);
    String workspaceId = WORKSPACE;

    Run(String type, String parametersJson) {
      this.type = type;
      this.parameters = object(parametersJson);
    }

    Run items(String... json) {
      this.items = java.util.Arrays.stream(json).map(Commands::object).toList();
      return this;
    }

    String taskJson() {
      return Wire.write(
          new NodeTask(
              new NodeTask.TaskNode(
                  "n-" + nodeRunId.toString().substring(0, 8),
                  nodeName,
                  type,
                  1,
                  parameters,
                  credentials,
                  timeoutSeconds),
              Map.of("main", items),
              nodes,
              executionId.toString(),
              "manual",
              "wf-1",
              "Orders sync",
              "v-1",
              workspaceId,
              "UTC",
              null,
              Instant.parse("2026-01-02T03:04:05.678Z")));
    }
  }

  static ObjectNode object(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static void send(Run run) {
    ExecutionCommandV1 command =
        new ExecutionCommandV1(
            run.commandId, run.executionId, run.nodeRunId, 1, run.deadline, run.taskJson());
    publish(EventTypes.RUN_NODE_V1, run.executionId, run.workspaceId, command);
  }

  static void abort(Run run) {
    ExecutionCommandV1 command =
        new ExecutionCommandV1(UUID.randomUUID(), run.executionId, run.nodeRunId, 1, null, null);
    publish(EventTypes.ABORT_NODE_V1, run.executionId, run.workspaceId, command);
  }

  private static void publish(
      io.linkflow.events.EventType<ExecutionCommandV1> type,
      UUID executionId,
      String workspaceId,
      ExecutionCommandV1 command) {
    EventEnvelope event =
        EventCodec.envelope(
            type, "/services/execution", executionId.toString(), workspaceId, command);
    TestEvents.publish(
        Topic.EXECUTION_COMMANDS.topicName(),
        event.key(),
        event.data(),
        CloudEventHeaders.toHeaders(event));
  }

  /** A result and its parsed outcome. */
  record Result(ConsumerRecord<String, byte[]> record, NodeResultV1 payload, NodeOutcome outcome) {

    JsonNode outcomeTree() {
      try {
        return JSON.readTree(payload.outcome());
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }

    List<ObjectNode> main() {
      return outcome.outputs().getOrDefault("main", List.of());
    }

    NodeOutcome.Failure error() {
      return outcome.error();
    }
  }

  /** Sends {@code run} and waits for its result. */
  static Result run(Run run) {
    try (TopicWatcher results = TopicWatcher.watch(Topic.EXECUTION_RESULTS.topicName())) {
      send(run);
      return await(results, run);
    }
  }

  static Result await(TopicWatcher results, Run run) {
    ConsumerRecord<String, byte[]> record =
        results.first(
            CloudEventHeaders.TYPE,
            EventTypes.NODE_RESULT_V1.cloudEventType(),
            CloudEventHeaders.SUBJECT,
            run.executionId.toString(),
            WAIT);
    NodeResultV1 payload = EventCodec.read(NodeResultV1.class, record.value());
    if (!payload.nodeRunId().equals(run.nodeRunId)) {
      throw new AssertionError("a result for another node run of the execution: " + payload);
    }
    return new Result(record, payload, Wire.read(payload.outcome(), NodeOutcome.class));
  }
}
