package io.linkflow.executor.run;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.payload.ExecutionCommandV1;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads execution.commands (group {@code executor-service}). A run_node command is handed to {@link
 * NodeRuns} and acknowledged only once its result is in Kafka; the method returns as soon as the
 * run is accepted, so the next record — another run of the same partition, or an abort of a running
 * node — is read while nodes run. Acknowledgements therefore arrive out of order; the connector's
 * {@code throttled} commit strategy commits each partition up to its first unacknowledged record. A
 * record that is not a readable command goes to dlq.events.
 */
@ApplicationScoped
public class CommandConsumer {

  private static final Logger LOG = Logger.getLogger(CommandConsumer.class);

  private final NodeRuns runs;

  public CommandConsumer(NodeRuns runs) {
    this.runs = runs;
  }

  @Incoming("commands")
  public Uni<Void> receive(Message<byte[]> message) {
    IncomingKafkaRecordMetadata<?, ?> kafka =
        message.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
    EventEnvelope event;
    ExecutionCommandV1 command;
    try {
      if (kafka == null) {
        throw new IllegalArgumentException("not a Kafka record");
      }
      event = CloudEventHeaders.fromHeaders(kafka.getHeaders(), message.getPayload());
      if (EventTypes.RUN_NODE_V1.cloudEventType().equals(event.type())) {
        command = EventCodec.read(EventTypes.RUN_NODE_V1, event);
      } else if (EventTypes.ABORT_NODE_V1.cloudEventType().equals(event.type())) {
        command = EventCodec.read(EventTypes.ABORT_NODE_V1, event);
      } else {
        return Uni.createFrom().completionStage(message.ack()); // not for executors
      }
      if (command.nodeRunId() == null || command.executionId() == null) {
        throw new IllegalArgumentException("the command names no node run or execution");
      }
    } catch (RuntimeException e) {
      LOG.warnf(
          "Unreadable record on execution.commands (partition %s, offset %s) sent to the dead"
              + " letter queue: %s",
          kafka == null ? "?" : kafka.getPartition(),
          kafka == null ? "?" : kafka.getOffset(),
          e.getMessage());
      return Uni.createFrom().completionStage(message.nack(e));
    }
    if (EventTypes.ABORT_NODE_V1.cloudEventType().equals(event.type())) {
      boolean found = runs.abort(command.nodeRunId());
      LOG.debugf(
          "Abort of node run %s: %s", command.nodeRunId(), found ? "stopped" : "not running here");
      return Uni.createFrom().completionStage(message.ack());
    }
    if (command.task() == null) {
      return Uni.createFrom()
          .completionStage(message.nack(new IllegalArgumentException("run_node without a task")));
    }
    return runs.submit(command, event, message::ack);
  }
}
