package io.linkflow.events.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.inbox.Inbox;
import io.linkflow.events.payload.WorkflowDeactivatedV1;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The outbox and inbox against real PostgreSQL and Kafka. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_events_test", redis = false)
class OutboxTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject Pool pool;
  @Inject Outbox outbox;
  @Inject Inbox inbox;

  @Test
  void aCommittedChangeIsPublishedWithItsCloudEventsHeadersAndLeavesTheOutbox() {
    UUID widget = UUID.randomUUID();
    try (TopicWatcher topic = TopicWatcher.watch(Topic.WORKFLOW_EVENTS.topicName())) {
      EventEnvelope sent =
          pool.withTransaction(
                  tx ->
                      tx.preparedQuery("INSERT INTO widget (id, name) VALUES ($1, $2)")
                          .execute(Tuple.of(widget, "first"))
                          .flatMap(
                              ignored ->
                                  outbox.append(
                                      tx,
                                      EventTypes.WORKFLOW_DEACTIVATED_V1,
                                      widget.toString(),
                                      "ws-1",
                                      new WorkflowDeactivatedV1(widget, UUID.randomUUID()))))
              .await()
              .atMost(WAIT);

      ConsumerRecord<String, byte[]> record =
          topic.await(CloudEventHeaders.ID, sent.id().toString(), WAIT);
      assertThat(record.key()).isEqualTo(widget.toString());
      EventEnvelope received = CloudEventHeaders.fromHeaders(record.headers(), record.value());
      assertThat(received.type()).isEqualTo("io.linkflow.workflow.deactivated.v1");
      assertThat(received.source()).isEqualTo("/services/events-test");
      assertThat(received.workspaceId()).isEqualTo("ws-1");
      assertThat(EventCodec.read(EventTypes.WORKFLOW_DEACTIVATED_V1, received).workflowId())
          .isEqualTo(widget);
      awaitOutboxEmpty();
    }
  }

  @Test
  void aRolledBackChangePublishesNothing() {
    UUID doomed = UUID.randomUUID();
    UUID marker = UUID.randomUUID();
    try (TopicWatcher topic = TopicWatcher.watch(Topic.WORKFLOW_EVENTS.topicName())) {
      Uni<Object> failing =
          pool.withTransaction(
              tx ->
                  outbox
                      .append(
                          tx,
                          EventTypes.WORKFLOW_DEACTIVATED_V1,
                          "same-key",
                          null,
                          new WorkflowDeactivatedV1(doomed, doomed))
                      .flatMap(
                          ignored ->
                              Uni.createFrom()
                                  .failure(new IllegalStateException("business rule broken"))));
      assertThat(failing.onFailure().recoverWithItem("failed").await().atMost(WAIT))
          .isEqualTo("failed");
      assertThat(outboxCount()).isZero();

      EventEnvelope committed =
          pool.withTransaction(
                  tx ->
                      outbox.append(
                          tx,
                          EventTypes.WORKFLOW_DEACTIVATED_V1,
                          "same-key",
                          null,
                          new WorkflowDeactivatedV1(marker, marker)))
              .await()
              .atMost(WAIT);
      // Same key, so same partition and relay order: had the rolled-back event been published,
      // it would arrive before the committed one.
      List<ConsumerRecord<String, byte[]>> seen =
          topic.until(CloudEventHeaders.ID, committed.id().toString(), WAIT);
      assertThat(seen)
          .map(r -> EventCodec.read(WorkflowDeactivatedV1.class, r.value()).workflowId())
          .doesNotContain(doomed)
          .contains(marker);
    }
  }

  @Test
  void aRedeliveredEventChangesNothingTwice() {
    UUID widget = UUID.randomUUID();
    pool.preparedQuery("INSERT INTO widget (id, name) VALUES ($1, 'counted')")
        .execute(Tuple.of(widget))
        .await()
        .atMost(WAIT);
    EventEnvelope event =
        EventCodec.envelope(
            EventTypes.WORKFLOW_DEACTIVATED_V1,
            "/services/test",
            widget.toString(),
            null,
            new WorkflowDeactivatedV1(widget, widget));

    Optional<Integer> first = increment(event, widget);
    Optional<Integer> second = increment(event, widget);

    assertThat(first).contains(1);
    assertThat(second).isEmpty();
    assertThat(
            pool.preparedQuery("SELECT updates FROM widget WHERE id = $1")
                .execute(Tuple.of(widget))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getInteger(0))
        .isEqualTo(1);
  }

  @Test
  void aFailedHandlerLeavesNoRecordSoTheRetryRuns() {
    EventEnvelope event =
        EventCodec.envelope(
            EventTypes.WORKFLOW_DEACTIVATED_V1,
            "/services/test",
            "k",
            null,
            new WorkflowDeactivatedV1(UUID.randomUUID(), UUID.randomUUID()));
    Uni<Optional<Object>> failing =
        inbox.once(
            pool,
            "test-consumer",
            event,
            tx -> Uni.createFrom().failure(new IllegalStateException("transient")));
    assertThat(failing.onFailure().recoverWithNull().await().atMost(WAIT)).isNull();

    Optional<String> retried =
        inbox
            .once(pool, "test-consumer", event, tx -> Uni.createFrom().item("done"))
            .await()
            .atMost(WAIT);
    assertThat(retried).contains("done");
  }

  private Optional<Integer> increment(EventEnvelope event, UUID widget) {
    return inbox
        .once(
            pool,
            "widget-counter",
            event,
            tx ->
                tx.preparedQuery(
                        "UPDATE widget SET updates = updates + 1 WHERE id = $1 RETURNING updates")
                    .execute(Tuple.of(widget))
                    .map(rows -> rows.iterator().next().getInteger(0)))
        .await()
        .atMost(WAIT);
  }

  private long outboxCount() {
    return pool.query("SELECT count(*) FROM outbox_event")
        .execute()
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  private void awaitOutboxEmpty() {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (outboxCount() > 0) {
      assertThat(System.nanoTime()).as("outbox drained in time").isLessThan(deadline);
      Uni.createFrom()
          .voidItem()
          .onItem()
          .delayIt()
          .by(Duration.ofMillis(50))
          .await()
          .indefinitely();
    }
  }
}
