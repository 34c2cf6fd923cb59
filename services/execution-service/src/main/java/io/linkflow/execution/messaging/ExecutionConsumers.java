package io.linkflow.execution.messaging;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.payload.ExecutionRequestedV1;
import io.linkflow.events.payload.NodeResultV1;
import io.linkflow.execution.Executions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * What execution-service consumes: requests to run (workflow.triggers, webhook.events,
 * schedule.triggers), executors' results (execution.results) and workflow changes (workflow.events,
 * for the latest version of each workflow). Each consumer records the event ids it handled in the
 * same transaction as their effect.
 */
@ApplicationScoped
public class ExecutionConsumers {

  private final Executions executions;

  public ExecutionConsumers(Executions executions) {
    this.executions = executions;
  }

  @Incoming("workflow-triggers")
  public Uni<Void> workflowTriggers(ConsumerRecord<String, byte[]> record) {
    return trigger(record);
  }

  @Incoming("webhook-events")
  public Uni<Void> webhookEvents(ConsumerRecord<String, byte[]> record) {
    return trigger(record);
  }

  @Incoming("schedule-triggers")
  public Uni<Void> scheduleTriggers(ConsumerRecord<String, byte[]> record) {
    return trigger(record);
  }

  private Uni<Void> trigger(ConsumerRecord<String, byte[]> record) {
    EventEnvelope event = CloudEventHeaders.fromHeaders(record.headers(), record.value());
    if (!EventTypes.EXECUTION_REQUESTED_V1.cloudEventType().equals(event.type())) {
      return Uni.createFrom().voidItem();
    }
    ExecutionRequestedV1 request = EventCodec.read(EventTypes.EXECUTION_REQUESTED_V1, event);
    return executions.request(event, request);
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
