package io.linkflow.schedule;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.ExecutionRequestedV1;
import io.linkflow.security.Roles;
import io.linkflow.testing.TestEvents;
import io.linkflow.testing.TestIssuer;
import io.linkflow.testing.TopicWatcher;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the schedule-service tests share: tokens, calls, events, the fires on schedule.triggers. */
public final class ScheduleTestSupport {

  public static final Duration WAIT = Duration.ofSeconds(20);

  private ScheduleTestSupport() {}

  public static String token(UUID workspace, String role) {
    return TestIssuer.get().token(UUID.randomUUID(), workspace, role);
  }

  public static String editor(UUID workspace) {
    return token(workspace, Roles.EDITOR);
  }

  public static RequestSpecification as(String token) {
    return given().auth().oauth2(token).contentType("application/json");
  }

  /** POST /api/v1/schedules with {@code json} as an editor of {@code workspace}. */
  public static Response create(UUID workspace, String json) {
    return as(editor(workspace)).body(json).post("/api/v1/schedules");
  }

  /** Creates an API schedule and answers its id (fails the test unless 201). */
  public static UUID createOk(UUID workspace, String json) {
    Response r = create(workspace, json);
    if (r.statusCode() != 201) {
      throw new AssertionError("create answered " + r.statusCode() + ": " + r.asString());
    }
    return UUID.fromString(r.jsonPath().getString("id"));
  }

  public static void delete(UUID workspace, UUID id) {
    as(editor(workspace)).delete("/api/v1/schedules/" + id);
  }

  /** Publishes {@code event} on workflow.events as workflow-service would. */
  public static void publishWorkflowEvent(EventEnvelope event) {
    TestEvents.publish(
        Topic.WORKFLOW_EVENTS.topicName(),
        event.key(),
        event.data(),
        CloudEventHeaders.toHeaders(event));
  }

  /** Polls {@code condition} until true or {@code timeout}; fails the test with {@code what}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      pause(100);
    }
    if (!condition.getAsBoolean()) {
      throw new AssertionError("not within " + timeout + ": " + what);
    }
  }

  /** The value once {@code supplier} gives a non-null one, polling until {@code timeout}. */
  public static <T> T awaitValue(String what, Duration timeout, Supplier<T> supplier) {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      T value = supplier.get();
      if (value != null) {
        return value;
      }
      pause(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("not within " + timeout + ": " + what);
  }

  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * One request to run read from schedule.triggers.
   *
   * @param record the Kafka record
   * @param event its envelope
   * @param request its payload
   * @param item the single input item
   */
  public record Fired(
      ConsumerRecord<String, byte[]> record,
      EventEnvelope event,
      ExecutionRequestedV1 request,
      JsonNode item) {

    public Instant scheduledAt() {
      return Instant.parse(item.path("scheduledAt").asText());
    }
  }

  /**
   * Reads schedule.triggers from the beginning and sorts what it reads by workflow, so a test can
   * wait for the fires of its own workflow.
   */
  public static final class Fires implements AutoCloseable {

    private final TopicWatcher watcher = TopicWatcher.watch(Topic.SCHEDULE_TRIGGERS.topicName());
    private final Map<UUID, List<Fired>> byWorkflow = new HashMap<>();

    /** Reads what arrived within {@code wait}. */
    public synchronized void read(Duration wait) {
      for (ConsumerRecord<String, byte[]> r : watcher.poll(wait)) {
        EventEnvelope event = CloudEventHeaders.fromHeaders(r.headers(), r.value());
        ExecutionRequestedV1 request = EventCodec.read(EventTypes.EXECUTION_REQUESTED_V1, event);
        JsonNode items;
        try {
          items = EventCodec.mapper().readTree(request.input());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        byWorkflow
            .computeIfAbsent(request.workflowId(), k -> new ArrayList<>())
            .add(new Fired(r, event, request, items.get(0)));
      }
    }

    /** Every fire of {@code workflowId} read so far (after reading what is there now). */
    public synchronized List<Fired> of(UUID workflowId) {
      read(Duration.ofMillis(200));
      return List.copyOf(byWorkflow.getOrDefault(workflowId, List.of()));
    }

    /** Waits until at least {@code n} fires of {@code workflowId} were read; answers them all. */
    public List<Fired> await(UUID workflowId, int n, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<Fired> seen;
      do {
        seen = of(workflowId);
        if (seen.size() >= n) {
          return seen;
        }
      } while (System.nanoTime() < deadline);
      throw new AssertionError(
          "only "
              + seen.size()
              + " of "
              + n
              + " fires of workflow "
              + workflowId
              + " within "
              + timeout);
    }

    @Override
    public void close() {
      watcher.close();
    }
  }
}
