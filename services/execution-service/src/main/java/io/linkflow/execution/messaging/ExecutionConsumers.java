package io.linkflow.execution.messaging;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.payload.NodeResultV1;
import io.linkflow.execution.Executions;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * What execution-service consumes: requests to run (workflow.triggers, webhook.events,
 * schedule.triggers), executors' results (execution.results) and workflow changes (workflow.events,
 * for the latest version of each workflow). Each consumer records the event ids it handled in the
 * same transaction as their effect.
 */
@ApplicationScoped
public class ExecutionConsumers {

  private static final Logger LOG = Logger.getLogger(ExecutionConsumers.class);

  private final Executions executions;

  public ExecutionConsumers(Executions executions) {
    this.executions = executions;
  }

  @Incoming("workflow-triggers")
  public Uni<Void> workflowTriggers(KafkaRecordBatch<String, byte[]> batch) {
    return triggers(batch);
  }

  @Incoming("webhook-events")
  public Uni<Void> webhookEvents(KafkaRecordBatch<String, byte[]> batch) {
    return triggers(batch);
  }

  @Incoming("schedule-triggers")
  public Uni<Void> scheduleTriggers(KafkaRecordBatch<String, byte[]> batch) {
    return triggers(batch);
  }

  /**
   * Requests to run, a poll's worth at a time (the channels are consumed in batches): new
   * executions are written together. A record that cannot be read or handled goes to the
   * dead-letter queue on its own; the batch is acknowledged once every record was handled or
   * parked.
   */
  private Uni<Void> triggers(KafkaRecordBatch<String, byte[]> batch) {
    List<KafkaRecord<String, byte[]>> handled = new ArrayList<>();
    List<Executions.Request> requests = new ArrayList<>();
    List<Uni<Void>> parked = new ArrayList<>();
    for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
      try {
        EventEnvelope event =
            CloudEventHeaders.fromHeaders(record.getHeaders(), record.getPayload());
        if (!EventTypes.EXECUTION_REQUESTED_V1.cloudEventType().equals(event.type())) {
          continue;
        }
        requests.add(
            new Executions.Request(
                event, EventCodec.read(EventTypes.EXECUTION_REQUESTED_V1, event)));
        handled.add(record);
      } catch (RuntimeException unreadable) {
        parked.add(park(record, unreadable));
      }
    }
    return executions
        .requestAll(requests)
        .flatMap(
            failures -> {
              for (int i = 0; i < failures.size(); i++) {
                if (failures.get(i) != null) {
                  parked.add(park(handled.get(i), failures.get(i)));
                }
              }
              return parked.isEmpty()
                  ? Uni.createFrom().voidItem()
                  : Uni.join().all(parked).andCollectFailures().replaceWithVoid();
            })
        .chain(() -> Uni.createFrom().completionStage(batch::ack));
  }

  private static Uni<Void> park(KafkaRecord<String, byte[]> record, Throwable why) {
    LOG.warnf(
        "Request %s on %s-%d sent to the dead-letter queue: %s",
        record.getKey(), record.getTopic(), record.getPartition(), why.toString());
    return Uni.createFrom().completionStage(() -> record.nack(why));
  }

  @Incoming("execution-results")
  public Uni<Void> results(ConsumerRecord<String, byte[]> record) {
    EventEnvelope event = CloudEventHeaders.fromHeaders(record.headers(), record.value());
    if (!EventTypes.NODE_RESULT_V1.cloudEventType().equals(event.type())) {
      return Uni.createFrom().voidItem();
    }
    NodeResultV1 result = EventCodec.read(EventTypes.NODE_RESULT_V1, event);
    return executions.result(result);
  }
}
