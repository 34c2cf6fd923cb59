package io.linkflow.schedule.housekeeping;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.ExecutionRequestedV1;
import io.linkflow.security.Roles;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestEvents;
import io.linkflow.testing.TestIssuer;
import io.linkflow.testing.TopicWatcher;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter queue end to end on real Kafka and PostgreSQL: records on dlq.events as
 * SmallRye's dead-letter-queue failure strategy writes them (dead-letter-* headers first, then the
 * original record's headers) are stored once, re-driven to their original topic as they were, or
 * parked with the reason; the operator API; the dead_letter_queue_size gauge.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_schedule")
class DeadLetterTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  @Inject HousekeepingRunner runner;
  @Inject Pool pool;
  @Inject MeterRegistry meters;

  @Test
  void aDeadLetterIsStoredOnceAndReDrivenToItsTopicAsItWas() {
    EventEnvelope event = request();
    List<Header> original = CloudEventHeaders.toHeaders(event);
    long offset = offset();
    List<Header> dead =
        deadLetter(
            Topic.WORKFLOW_TRIGGERS.topicName(),
            3,
            offset,
            "java.util.concurrent.TimeoutException",
            "workflow-service did not answer within 10 s",
            null,
            original);
    // delivered twice (a redelivery after a consumer crash), then a marker on the same partition
    TestEvents.publish(Topic.DLQ_EVENTS.topicName(), event.key(), event.data(), dead);
    TestEvents.publish(Topic.DLQ_EVENTS.topicName(), event.key(), event.data(), dead);
    long markerOffset = offset();
    TestEvents.publish(
        Topic.DLQ_EVENTS.topicName(),
        event.key(),
        "marker".getBytes(StandardCharsets.UTF_8),
        deadLetter(
            Topic.WORKFLOW_TRIGGERS.topicName(),
            3,
            markerOffset,
            IllegalArgumentException.class.getName(),
            "not a CloudEvents 1.0 record: ce_specversion=null",
            null,
            List.of()));
    UUID marker = awaitStored(Topic.WORKFLOW_TRIGGERS.topicName(), 3, markerOffset);
    UUID letter = awaitStored(Topic.WORKFLOW_TRIGGERS.topicName(), 3, offset);
    assertThat(count("SELECT count(*) FROM dead_letter WHERE original_offset = $1", offset))
        .isEqualTo(1);
    JsonNode stored = letter(letter);
    assertThat(stored.path("status").asText()).isEqualTo("pending");
    assertThat(stored.path("type").asText()).isEqualTo(event.type());
    assertThat(stored.path("eventId").asText()).isEqualTo(event.id().toString());
    assertThat(stored.path("exceptionClass").asText())
        .isEqualTo("java.util.concurrent.TimeoutException");
    assertThat(stored.path("reason").asText()).contains("did not answer");
    assertThat(stored.path("redriveCount").asInt()).isZero();
    assertThat(stored.path("headers")).hasSize(original.size()); // no dead-letter-* headers
    assertThat(stored.path("value").asText())
        .isEqualTo(new String(event.data(), StandardCharsets.UTF_8));

    try (TopicWatcher triggers = TopicWatcher.watch(Topic.WORKFLOW_TRIGGERS.topicName())) {
      HousekeepingRuns.Run run = runDlq();
      assertThat(run.outcome()).isEqualTo("succeeded");
      assertThat(run.items()).isGreaterThanOrEqualTo(2); // this letter and the marker at least

      ConsumerRecord<String, byte[]> redriven =
          triggers.first(
              CloudEventHeaders.ID,
              event.id().toString(),
              CloudEventHeaders.TYPE,
              event.type(),
              WAIT);
      assertThat(redriven.key()).isEqualTo(event.key());
      assertThat(redriven.value()).isEqualTo(event.data());
      List<Header> expected = new ArrayList<>(original);
      expected.add(
          new RecordHeader(DeadLetter.REDRIVE_COUNT, "1".getBytes(StandardCharsets.UTF_8)));
      assertThat(headers(redriven.headers())).isEqualTo(headers(expected));
      EventEnvelope again = CloudEventHeaders.fromHeaders(redriven.headers(), redriven.value());
      assertThat(again.id()).isEqualTo(event.id());
      assertThat(again.workspaceId()).isEqualTo(event.workspaceId());
      assertThat(again.subject()).isEqualTo(event.subject());
    }
    JsonNode after = letter(letter);
    assertThat(after.path("status").asText()).isEqualTo("redriven");
    assertThat(after.path("redriveCount").asInt()).isEqualTo(1);
    assertThat(after.path("redrivenAt").isTextual()).isTrue();
    JsonNode parkedMarker = letter(marker);
    assertThat(parkedMarker.path("status").asText()).isEqualTo("parked");
    assertThat(parkedMarker.path("parkReason").asText()).contains("not a CloudEvents 1.0 record");
  }

  @Inject FlakyTestConsumer flaky;

  @Test
  void aRecordThatARealConsumerDeadLetteredIsReDrivenUntilItIsConsumed() {
    UUID id = UUID.randomUUID();
    EventEnvelope event =
        new EventEnvelope(
            id,
            "io.linkflow.storage.file_stored.v1",
            "/services/storage",
            "file-" + id,
            Instant.now().truncatedTo(ChronoUnit.MILLIS),
            UUID.randomUUID().toString(),
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            null,
            ("{\"fileId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    flaky.failOnce(id.toString());
    TestEvents.publish(
        Topic.STORAGE_EVENTS.topicName(),
        event.key(),
        event.data(),
        CloudEventHeaders.toHeaders(event));

    await("the first delivery", () -> flaky.received(id.toString()).size() == 1);
    ConsumerRecord<String, byte[]> first = flaky.received(id.toString()).get(0);
    UUID letter = awaitStored(Topic.STORAGE_EVENTS.topicName(), first.partition(), first.offset());
    JsonNode stored = letter(letter);
    // what SmallRye Kafka wrote: the failure, where the record was, and its own headers
    assertThat(stored.path("exceptionClass").asText())
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(stored.path("reason").asText())
        .isEqualTo("the storage backend is unavailable (test)");
    assertThat(stored.path("key").asText()).isEqualTo(event.key());
    assertThat(stored.path("eventId").asText()).isEqualTo(id.toString());
    // the original headers only: not SmallRye's dead-letter-* ones, nor the traceparent its
    // instrumented dead-letter producer appended after the original one
    List<String> names = new ArrayList<>();
    stored.path("headers").forEach(h -> names.add(h.path("name").asText()));
    assertThat(names)
        .containsExactlyElementsOf(
            CloudEventHeaders.toHeaders(event).stream().map(Header::key).toList());
    assertThat(stored.path("headers").get(names.indexOf("traceparent")).path("value").asText())
        .isEqualTo(event.traceparent());

    assertThat(runDlq().outcome()).isEqualTo("succeeded");

    await("the re-driven delivery", () -> flaky.received(id.toString()).size() == 2);
    ConsumerRecord<String, byte[]> second = flaky.received(id.toString()).get(1);
    assertThat(second.key()).isEqualTo(first.key());
    assertThat(second.value()).isEqualTo(first.value());
    // as published (the consumer saw these), plus the re-drive count
    assertThat(headers(first.headers())).isEqualTo(headers(CloudEventHeaders.toHeaders(event)));
    List<Header> expected = new ArrayList<>(CloudEventHeaders.toHeaders(event));
    expected.add(new RecordHeader(DeadLetter.REDRIVE_COUNT, "1".getBytes(StandardCharsets.UTF_8)));
    assertThat(headers(second.headers())).isEqualTo(headers(expected));
    assertThat(letter(letter).path("status").asText()).isEqualTo("redriven");
  }

  @Test
  void lettersThatCanNeverSucceedAreParkedWithTheirReason() {
    List<Header> cloudEvent = CloudEventHeaders.toHeaders(request());
    EventEnvelope retried = request();
    long notCloudEvent = offset();
    long unreadable = offset();
    long tooOften = offset();
    long foreign = offset();
    String topic = Topic.WORKFLOW_TRIGGERS.topicName();
    publish(
        deadLetter(
            topic,
            0,
            notCloudEvent,
            IllegalArgumentException.class.getName(),
            "not a CloudEvents 1.0 record: ce_specversion=null",
            null,
            List.of(
                new RecordHeader("content-type", "text/plain".getBytes(StandardCharsets.UTF_8)))));
    publish(
        deadLetter(
            topic,
            0,
            unreadable,
            java.io.UncheckedIOException.class.getName(),
            "payload is not a valid ExecutionRequestedV1",
            "com.fasterxml.jackson.core.JsonParseException",
            cloudEvent));
    List<Header> redrivenThrice = new ArrayList<>(CloudEventHeaders.toHeaders(retried));
    redrivenThrice.add(
        new RecordHeader(DeadLetter.REDRIVE_COUNT, "3".getBytes(StandardCharsets.UTF_8)));
    publish(
        deadLetter(
            topic,
            0,
            tooOften,
            "io.vertx.pgclient.PgException",
            "deadlock detected",
            null,
            redrivenThrice));
    publish(
        deadLetter(
            "legacy.events",
            0,
            foreign,
            "io.vertx.pgclient.PgException",
            "connection refused",
            null,
            cloudEvent));
    UUID a = awaitStored(topic, 0, notCloudEvent);
    UUID b = awaitStored(topic, 0, unreadable);
    UUID c = awaitStored(topic, 0, tooOften);
    UUID d = awaitStored("legacy.events", 0, foreign);
    assertThat(letter(c).path("redriveCount").asInt()).isEqualTo(3);

    HousekeepingRuns.Run run = runDlq();
    assertThat(run.outcome()).isEqualTo("succeeded");

    assertThat(letter(a).path("status").asText()).isEqualTo("parked");
    assertThat(letter(a).path("parkReason").asText())
        .contains("not a CloudEvents 1.0 record")
        .contains(IllegalArgumentException.class.getName());
    assertThat(letter(b).path("status").asText()).isEqualTo("parked");
    assertThat(letter(b).path("parkReason").asText())
        .startsWith("poison:")
        .contains("JsonParseException")
        .contains("payload is not a valid ExecutionRequestedV1");
    assertThat(letter(c).path("status").asText()).isEqualTo("parked");
    assertThat(letter(c).path("parkReason").asText())
        .contains("re-driven 3 times")
        .contains("max-redrives = 3")
        .contains("deadlock detected");
    assertThat(letter(d).path("status").asText()).isEqualTo("parked");
    assertThat(letter(d).path("parkReason").asText())
        .contains("legacy.events is not a LinkFlow topic");

    // the operator lists the parked ones
    List<String> parked = new ArrayList<>();
    String cursor = null;
    do {
      var request =
          given().auth().oauth2(operator()).queryParam("status", "parked").queryParam("limit", 2);
      if (cursor != null) {
        request = request.queryParam("cursor", cursor);
      }
      JsonNode page =
          request
              .get("/internal/v1/dead-letters")
              .then()
              .statusCode(200)
              .extract()
              .as(JsonNode.class);
      page.path("items")
          .forEach(
              item -> {
                assertThat(item.path("status").asText()).isEqualTo("parked");
                assertThat(item.has("value") && !item.path("value").isNull()).isFalse();
                parked.add(item.path("id").asText());
              });
      cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
    } while (cursor != null);
    assertThat(parked).contains(a.toString(), b.toString(), c.toString(), d.toString());
    assertThat(parked).doesNotHaveDuplicates();

    // and re-drives one by hand after fixing what made it fail: to its topic, as re-drive 4
    try (TopicWatcher triggers = TopicWatcher.watch(topic)) {
      given()
          .auth()
          .oauth2(operator())
          .post("/internal/v1/dead-letters/" + c + "/redrive")
          .then()
          .statusCode(200)
          .body("status", equalTo("redriven"))
          .body("redriveCount", equalTo(4));
      ConsumerRecord<String, byte[]> redriven =
          triggers.await(CloudEventHeaders.ID, retried.id().toString(), WAIT);
      assertThat(TopicWatcher.header(redriven, DeadLetter.REDRIVE_COUNT)).isEqualTo("4");
      assertThat(redriven.headers().headers(DeadLetter.REDRIVE_COUNT)).hasSize(1);
    }
    // one that has no LinkFlow topic cannot be re-driven
    given()
        .auth()
        .oauth2(operator())
        .post("/internal/v1/dead-letters/" + d + "/redrive")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("legacy.events"));
    given()
        .auth()
        .oauth2(operator())
        .post("/internal/v1/dead-letters/" + UUID.randomUUID() + "/redrive")
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(TestIssuer.get().token(UUID.randomUUID(), UUID.randomUUID(), Roles.OWNER))
        .get("/internal/v1/dead-letters")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(TestIssuer.get().token(UUID.randomUUID(), UUID.randomUUID(), Roles.OWNER))
        .post("/internal/v1/dead-letters/" + c + "/redrive")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(operator())
        .queryParam("status", "lost")
        .get("/internal/v1/dead-letters")
        .then()
        .statusCode(400)
        .body("errors[0].pointer", equalTo("status"));
  }

  @Test
  void deadLetterQueueSizeIsTheNumberOfPendingLetters() {
    EventEnvelope event = request();
    long offset = offset();
    TestEvents.publish(
        Topic.DLQ_EVENTS.topicName(),
        event.key(),
        event.data(),
        deadLetter(
            Topic.WORKFLOW_TRIGGERS.topicName(),
            1,
            offset,
            "java.net.ConnectException",
            "Connection refused",
            null,
            CloudEventHeaders.toHeaders(event)));
    awaitStored(Topic.WORKFLOW_TRIGGERS.topicName(), 1, offset);
    await(
        "dead_letter_queue_size = pending letters (at least this one)",
        () -> {
          long pending = count("SELECT count(*) FROM dead_letter WHERE status = $1", "pending");
          return pending >= 1 && gauge() == pending;
        });
    assertThat(prometheus()).containsPattern("(?m)^dead_letter_queue_size [1-9]");

    UUID letter = awaitStored(Topic.WORKFLOW_TRIGGERS.topicName(), 1, offset);

    assertThat(runDlq().outcome()).isEqualTo("succeeded");

    assertThat(letter(letter).path("status").asText()).isEqualTo("redriven");
    long pending = count("SELECT count(*) FROM dead_letter WHERE status = $1", "pending");
    assertThat(gauge()).isEqualTo((double) pending);
    assertThat(prometheus()).containsPattern("(?m)^dead_letter_queue_size " + pending + "(\\.0)?$");
  }

  // --------------------------------------------------------------------------- helpers

  /** An execution.requested event, as workflow-service publishes it. */
  static EventEnvelope request() {
    UUID id = UUID.randomUUID();
    return EventCodec.envelope(
        EventTypes.EXECUTION_REQUESTED_V1,
        "/services/workflow",
        id.toString(),
        UUID.randomUUID().toString(),
        new ExecutionRequestedV1(id, UUID.randomUUID(), UUID.randomUUID(), "manual", "[{}]"));
  }

  /**
   * The headers SmallRye's dead-letter-queue strategy writes: its own first, then the original
   * record's.
   */
  static List<Header> deadLetter(
      String topic,
      int partition,
      long offset,
      String exceptionClass,
      String reason,
      String causeClass,
      List<Header> original) {
    List<Header> headers = new ArrayList<>();
    headers.add(header("dead-letter-exception-class-name", exceptionClass));
    headers.add(header("dead-letter-reason", reason));
    if (causeClass != null) {
      headers.add(header("dead-letter-cause-class-name", causeClass));
      headers.add(header("dead-letter-cause", "Unexpected character ('}' (code 125))"));
    }
    headers.add(header("dead-letter-topic", topic));
    headers.add(header("dead-letter-partition", Integer.toString(partition)));
    headers.add(header("dead-letter-offset", Long.toString(offset)));
    headers.addAll(original);
    return headers;
  }

  static void publish(List<Header> headers) {
    TestEvents.publish(
        Topic.DLQ_EVENTS.topicName(),
        UUID.randomUUID().toString(),
        "{\"broken\":".getBytes(StandardCharsets.UTF_8),
        headers);
  }

  static Header header(String name, String value) {
    return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /** An original offset no other letter of this JVM has. */
  static long offset() {
    return ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE / 2);
  }

  /** Header names and values in order, comparable. */
  static List<Map.Entry<String, String>> headers(Iterable<Header> headers) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (Header h : headers) {
      out.add(
          Map.entry(
              h.key(),
              h.value() == null ? "<null>" : new String(h.value(), StandardCharsets.UTF_8)));
    }
    return out;
  }

  UUID awaitStored(String topic, int partition, long offset) {
    UUID[] found = new UUID[1];
    await(
        "dead letter " + topic + "-" + partition + "@" + offset + " stored",
        () -> {
          var rows =
              pool.preparedQuery(
                      "SELECT id FROM dead_letter WHERE original_topic = $1 AND original_partition"
                          + " = $2 AND original_offset = $3")
                  .execute(Tuple.of(topic, partition, offset))
                  .await()
                  .atMost(WAIT);
          if (rows.size() == 1) {
            found[0] = rows.iterator().next().getUUID("id");
            return true;
          }
          return false;
        });
    return found[0];
  }

  long count(String sql, Object arg) {
    return pool.preparedQuery(sql)
        .execute(Tuple.of(arg))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  double gauge() {
    return meters.get("dead_letter_queue_size").gauge().value();
  }

  static String prometheus() {
    return given().get("/metrics").then().statusCode(200).extract().asString();
  }

  HousekeepingRuns.Run runDlq() {
    Instant slot = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return runner.run("dlq", slot, "manual").await().atMost(WAIT).orElseThrow();
  }

  static JsonNode letter(UUID id) {
    return given()
        .auth()
        .oauth2(operator())
        .get("/internal/v1/dead-letters/" + id)
        .then()
        .statusCode(200)
        .extract()
        .as(JsonNode.class);
  }

  static String operator() {
    return HousekeepingRunnerTest.operator();
  }

  static void await(String what, BooleanSupplier condition) {
    io.linkflow.schedule.ScheduleTestSupport.await(what, WAIT, condition);
  }
}
