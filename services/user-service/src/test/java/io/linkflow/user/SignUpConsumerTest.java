package io.linkflow.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.EmailVerifiedV1;
import io.linkflow.events.payload.MembershipChangedV1;
import io.linkflow.events.payload.SignedUpV1;
import io.linkflow.events.payload.WorkspaceCreatedV1;
import io.linkflow.testing.Infrastructure;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** auth.signed_up becomes a user, a personal workspace and an owner membership — exactly once. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_user", redis = false)
class SignUpConsumerTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject Pool pool;

  @Test
  void aSignUpCreatesTheUserAndTheirPersonalWorkspaceOnceEvenWhenRedelivered() {
    UUID account = UUID.randomUUID();
    UUID workspace = UUID.randomUUID();
    EventEnvelope event =
        EventCodec.envelope(
            EventTypes.SIGNED_UP_V1,
            "/services/auth",
            account.toString(),
            workspace.toString(),
            new SignedUpV1(account, "grace@example.com", workspace));

    publish(event);
    Row membership = awaitMembership(account);
    assertThat(membership.getUUID("workspace_id")).isEqualTo(workspace);
    assertThat(membership.getString("role")).isEqualTo("owner");
    assertThat(membership.getBoolean("personal")).isTrue();
    assertThat(membership.getString("email")).isEqualTo("grace@example.com");

    // The same event again (Kafka redelivers after a crash): nothing changes, nothing fails.
    publish(event);
    UUID marker = UUID.randomUUID();
    publish(
        EventCodec.envelope(
            EventTypes.SIGNED_UP_V1,
            "/services/auth",
            marker.toString(),
            null,
            new SignedUpV1(marker, "marker@example.com", UUID.randomUUID())));
    awaitMembership(marker);
    assertThat(count("SELECT count(*) FROM membership WHERE user_id = $1", account)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM app_user WHERE id = $1", account)).isEqualTo(1);
  }

  @Test
  void aSignUpAnnouncesThePersonalWorkspaceAndItsOwnerOnUserEventsOnce() {
    UUID account = UUID.randomUUID();
    UUID workspace = UUID.randomUUID();
    EventEnvelope event =
        EventCodec.envelope(
            EventTypes.SIGNED_UP_V1,
            "/services/auth",
            account.toString(),
            workspace.toString(),
            new SignedUpV1(account, "linus@example.com", workspace));
    try (UserEvents events = new UserEvents()) {
      publish(event, account.toString());
      publish(event, account.toString());
      // A later sign-up on the same partition: once it is done, so is the redelivery.
      UUID marker = UUID.randomUUID();
      UUID markerWorkspace = UUID.randomUUID();
      publish(
          EventCodec.envelope(
              EventTypes.SIGNED_UP_V1,
              "/services/auth",
              marker.toString(),
              markerWorkspace.toString(),
              new SignedUpV1(marker, "marker@example.com", markerWorkspace)),
          account.toString());
      awaitMembership(marker);

      List<UserEvents.Event> emitted =
          events.expect(workspace, UserEvents.WORKSPACE_CREATED, UserEvents.MEMBER_ADDED);
      assertThat(emitted.get(0).workspaceCreated())
          .isEqualTo(new WorkspaceCreatedV1(workspace, "Personal", account, true));
      assertThat(emitted.get(1).membership())
          .isEqualTo(new MembershipChangedV1(workspace, account, "owner", "signup"));
      events.expect(markerWorkspace, UserEvents.WORKSPACE_CREATED, UserEvents.MEMBER_ADDED);
      assertThat(events.seen(workspace)).as("events after the redelivery").hasSize(2);
    }
  }

  @Test
  void aRecordThatIsNotACloudEventGoesToTheDeadLetterTopic() {
    String key = "poison-" + UUID.randomUUID();
    try (TopicWatcher dlq = TopicWatcher.watch(Topic.DLQ_EVENTS.topicName());
        KafkaProducer<String, byte[]> producer = producer()) {
      producer.send(
          new ProducerRecord<>(
              Topic.AUTH_EVENTS.topicName(), key, "not json".getBytes(StandardCharsets.UTF_8)));
      producer.flush();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> seen =
            dlq.poll(Duration.ofMillis(500));
        if (seen.stream().anyMatch(r -> key.equals(r.key()))) {
          return;
        }
      }
      throw new AssertionError("the poison record never reached " + Topic.DLQ_EVENTS.topicName());
    }
  }

  @Test
  void aVerifiedEmailFromAuthServiceReachesTheProfile() {
    UUID account = UUID.randomUUID();
    publish(
        EventCodec.envelope(
            EventTypes.SIGNED_UP_V1,
            "/services/auth",
            account.toString(),
            null,
            new SignedUpV1(account, "Lin@Example.com", UUID.randomUUID())));
    publish(
        EventCodec.envelope(
            EventTypes.EMAIL_VERIFIED_V1,
            "/services/auth",
            account.toString(),
            null,
            new EmailVerifiedV1(account, "lin@example.com", "oidc")));

    long deadline = System.nanoTime() + WAIT.toNanos();
    while (count("SELECT count(*) FROM app_user WHERE id = $1 AND email_verified", account) == 0) {
      assertThat(System.nanoTime()).as("e-mail verified in time").isLessThan(deadline);
      pause();
    }
  }

  private void publish(EventEnvelope event) {
    publish(event, event.key());
  }

  private void publish(EventEnvelope event, String key) {
    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer.send(
          new ProducerRecord<>(
              Topic.AUTH_EVENTS.topicName(),
              null,
              key,
              event.data(),
              CloudEventHeaders.toHeaders(event)));
      producer.flush();
    }
  }

  private Row awaitMembership(UUID user) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      var rows =
          pool.preparedQuery(
                  "SELECT m.workspace_id, m.role, w.personal, u.email FROM membership m"
                      + " JOIN workspace w ON w.id = m.workspace_id"
                      + " JOIN app_user u ON u.id = m.user_id WHERE m.user_id = $1")
              .execute(Tuple.of(user))
              .await()
              .atMost(WAIT);
      if (rows.size() > 0) {
        return rows.iterator().next();
      }
      pause();
    }
    throw new AssertionError("no membership for " + user + " within " + WAIT);
  }

  private long count(String sql, UUID id) {
    return pool.preparedQuery(sql)
        .execute(Tuple.of(id))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  private static KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        Infrastructure.kafkaClientProperties(), new StringSerializer(), new ByteArraySerializer());
  }

  private static void pause() {
    io.smallrye.mutiny.Uni.createFrom()
        .voidItem()
        .onItem()
        .delayIt()
        .by(Duration.ofMillis(100))
        .await()
        .indefinitely();
  }
}
