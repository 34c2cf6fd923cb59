package io.linkflow.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.linkflow.events.payload.WorkflowDeactivatedV1;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The envelope's Kafka headers are CloudEvents binary mode, as the official SDK reads them. */
class CloudEventHeadersTest {

  private final EventEnvelope event =
      EventCodec.envelope(
              EventTypes.WORKFLOW_DEACTIVATED_V1,
              "/services/workflow",
              "wf-1",
              "ws-9",
              new WorkflowDeactivatedV1(UUID.randomUUID(), UUID.randomUUID()))
          .withTrace("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);

  @Test
  void theCloudEventsSdkReadsOurHeaders() {
    RecordHeaders headers = new RecordHeaders(CloudEventHeaders.toHeaders(event));
    CloudEvent read = KafkaMessageFactory.createReader(headers, event.data()).toEvent();

    assertThat(read.getSpecVersion().toString()).isEqualTo("1.0");
    assertThat(read.getId()).isEqualTo(event.id().toString());
    assertThat(read.getType()).isEqualTo("io.linkflow.workflow.deactivated.v1");
    assertThat(read.getSource().toString()).isEqualTo("/services/workflow");
    assertThat(read.getSubject()).isEqualTo("wf-1");
    assertThat(read.getTime().toInstant()).isEqualTo(event.time());
    assertThat(read.getDataContentType()).isEqualTo("application/json");
    assertThat(read.getExtension("workspaceid")).isEqualTo("ws-9");
    assertThat(read.getExtension("traceparent")).isEqualTo(event.traceparent());
    assertThat(read.getData().toBytes()).isEqualTo(event.data());
  }

  @Test
  void roundTripsThroughHeaders() {
    RecordHeaders headers = new RecordHeaders(CloudEventHeaders.toHeaders(event));
    EventEnvelope back = CloudEventHeaders.fromHeaders(headers, event.data());
    assertThat(back.id()).isEqualTo(event.id());
    assertThat(back.type()).isEqualTo(event.type());
    assertThat(back.time()).isEqualTo(event.time());
    assertThat(back.workspaceId()).isEqualTo("ws-9");
    assertThat(back.traceparent()).isEqualTo(event.traceparent());
    assertThat(EventCodec.read(EventTypes.WORKFLOW_DEACTIVATED_V1, back))
        .isEqualTo(EventCodec.read(EventTypes.WORKFLOW_DEACTIVATED_V1, event));
    assertThat(headers.lastHeader("traceparent")).isNotNull();
  }

  @Test
  void aRecordWithoutCloudEventsHeadersIsRejected() {
    assertThatThrownBy(() -> CloudEventHeaders.fromHeaders(new RecordHeaders(), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ce_specversion");
  }
}
