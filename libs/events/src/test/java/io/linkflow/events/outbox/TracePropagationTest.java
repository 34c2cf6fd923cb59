package io.linkflow.events.outbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.testing.LogCapture;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * With tracing on, a caller's W3C trace continues through the service (its log lines carry the
 * trace id) and across Kafka (the event the request caused carries it in {@code traceparent}).
 */
@QuarkusTest
@TestProfile(TracePropagationTest.TracingOn.class)
@RealInfrastructure(database = "linkflow_events_test", redis = false)
class TracePropagationTest {

  /** Tracing on, exporting to a port where nothing listens: spans are made, export just fails. */
  public static class TracingOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("linkflow.tracing.otlp-endpoint", "http://127.0.0.1:9");
    }
  }

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void theCallersTraceReachesTheLogAndTheKafkaRecord() {
    UUID widget = UUID.randomUUID();
    String eventId;
    try (LogCapture logs = LogCapture.start();
        TopicWatcher topic = TopicWatcher.watch("workflow.events")) {
      eventId =
          given()
              .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
              .post("/test/widgets/" + widget)
              .then()
              .statusCode(200)
              .extract()
              .path("eventId");

      List<ExtLogRecord> access =
          logs.records().stream()
              .filter(r -> r.getLoggerName().equals("io.linkflow.access"))
              .filter(r -> ("/test/widgets/" + widget).equals(r.getMdc("path")))
              .toList();
      assertThat(access).hasSize(1);
      assertThat(access.get(0).getMdc("traceId")).isEqualTo(TRACE_ID);

      ConsumerRecord<String, byte[]> record =
          topic.await(CloudEventHeaders.ID, eventId, Duration.ofSeconds(30));
      assertThat(TopicWatcher.header(record, CloudEventHeaders.W3C_TRACEPARENT)).contains(TRACE_ID);
      assertThat(TopicWatcher.header(record, CloudEventHeaders.TRACEPARENT)).contains(TRACE_ID);
    }
  }
}
