package io.linkflow.events.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.Topic;
import io.linkflow.events.inbox.Inbox;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TopicWatcher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A relay process is killed with SIGKILL mid-relay ({@link RelayCrashChild}, a separate JVM on the
 * same PostgreSQL and Kafka); a relay started afterwards loses nothing, and an inbox consumer
 * applies the event exactly once even when the crash made the relay publish it twice.
 */
@QuarkusTest
@TestProfile(OutboxRelayCrashTest.RelayStopped.class)
@RealInfrastructure(database = "linkflow_events_test", redis = false)
class OutboxRelayCrashTest {

  /** This JVM's own relay stays off: only the child and the test's "restarted" relay publish. */
  public static class RelayStopped implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("linkflow.outbox.enabled", "false");
    }
  }

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TOPIC = Topic.WORKFLOW_EVENTS.topicName();
  private static final int SIGKILL_EXIT = 128 + 9;

  @Inject Pool pool;
  @Inject Inbox inbox;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @ConfigProperty(name = "quarkus.datasource.reactive.url")
  String databaseUrl;

  @ConfigProperty(name = "quarkus.datasource.username")
  String databaseUser;

  @ConfigProperty(name = "quarkus.datasource.password")
  String databasePassword;

  @Test
  void killedAfterTheCommitBeforeTheSendTheRestartedRelayPublishesTheEventOnce() throws Exception {
    UUID widget = UUID.randomUUID();
    UUID eventId;
    try (Child child = Child.start(this, widget, "before-send")) {
      eventId = child.eventId;
      // The business change and its event are committed; nothing has reached Kafka.
      assertThat(outboxRows(eventId)).isEqualTo(1);
      assertThat(onTopic(widget)).isEmpty();
      child.kill();
    }
    awaitDeadRelaysTransactionEnded();
    assertThat(outboxRows(eventId)).as("the event survived the crash").isEqualTo(1);

    restartRelay();

    List<ConsumerRecord<String, byte[]>> copies = onTopic(widget);
    assertThat(copies).hasSize(1);
    EventEnvelope received = envelope(copies.get(0));
    assertThat(received.id()).isEqualTo(eventId);
    assertThat(TopicWatcher.header(copies.get(0), CloudEventHeaders.ID))
        .isEqualTo(eventId.toString());
    assertThat(received.type()).isEqualTo("io.linkflow.workflow.deactivated.v1");
    assertThat(received.source()).isEqualTo("/services/events-test");
    assertThat(received.subject()).isEqualTo(widget.toString());
    assertThat(received.workspaceId()).isEqualTo("ws-crash");
    assertThat(consumeWithInbox(copies, widget)).containsExactly(true);
    assertThat(updates(widget)).isEqualTo(1);
    assertThat(outboxRows(null)).isZero();
  }

  @Test
  void killedAfterKafkaAckedBeforeTheDeleteCommittedTheRestartResendsAndTheInboxAppliesItOnce()
      throws Exception {
    UUID widget = UUID.randomUUID();
    UUID eventId;
    try (Child child = Child.start(this, widget, "before-commit")) {
      eventId = child.eventId;
      // Kafka acknowledged the event; the relay's DELETE ran but is not committed.
      List<ConsumerRecord<String, byte[]>> acked = onTopic(widget);
      assertThat(acked).hasSize(1);
      assertThat(envelope(acked.get(0)).id()).isEqualTo(eventId);
      assertThat(outboxRows(eventId)).isEqualTo(1);
      child.kill();
    }
    awaitDeadRelaysTransactionEnded();
    assertThat(outboxRows(eventId)).as("the DELETE rolled back with the crash").isEqualTo(1);

    restartRelay();

    // At-least-once: the restarted relay sent the event again, under the same CloudEvents id.
    List<ConsumerRecord<String, byte[]>> copies = onTopic(widget);
    assertThat(copies).hasSize(2);
    assertThat(copies).map(r -> envelope(r).id()).containsOnly(eventId);
    assertThat(copies)
        .map(r -> TopicWatcher.header(r, CloudEventHeaders.ID))
        .containsOnly(eventId.toString());
    // Effectively once: the inbox applies the first copy and recognises the second.
    assertThat(consumeWithInbox(copies, widget)).containsExactly(true, false);
    assertThat(updates(widget)).isEqualTo(1);
    assertThat(outboxRows(null)).isZero();
  }

  /** A relay as a restarted service instance has it: new process state, new Kafka producer. */
  private void restartRelay() throws Exception {
    OutboxRelay relay =
        new OutboxRelay(
            () -> pool,
            new SimpleMeterRegistry(),
            true,
            Duration.ofMillis(50),
            200,
            bootstrapServers,
            "events-test");
    try {
      assertThat(relay.relayOnce()).as("events relayed after the restart").isPositive();
    } finally {
      relay.stop(null);
    }
  }

  /**
   * Blocks until PostgreSQL has ended the killed relay's session (rolling back its transaction and
   * releasing its advisory lock): the relay lock is free exactly then.
   */
  private void awaitDeadRelaysTransactionEnded() {
    pool.withTransaction(
            tx ->
                tx.preparedQuery("SELECT pg_advisory_xact_lock($1)")
                    .execute(Tuple.of(OutboxRelay.LOCK_KEY)))
        .await()
        .atMost(WAIT);
  }

  /** Hands every copy to an inbox-deduplicated consumer; true where it applied its effect. */
  private List<Boolean> consumeWithInbox(List<ConsumerRecord<String, byte[]>> copies, UUID widget) {
    List<Boolean> applied = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> copy : copies) {
      Optional<Integer> result =
          inbox
              .once(
                  pool,
                  "widget-counter",
                  envelope(copy),
                  tx ->
                      tx.preparedQuery(
                              "UPDATE widget SET updates = updates + 1 WHERE id = $1"
                                  + " RETURNING updates")
                          .execute(Tuple.of(widget))
                          .map(rows -> rows.iterator().next().getInteger(0)))
              .await()
              .atMost(WAIT);
      applied.add(result.isPresent());
    }
    return applied;
  }

  private static EventEnvelope envelope(ConsumerRecord<String, byte[]> record) {
    return CloudEventHeaders.fromHeaders(record.headers(), record.value());
  }

  /**
   * Every record of the topic keyed {@code widget}, reading each partition from its beginning to
   * its current end: an exact count, with nothing left to arrive later.
   */
  private List<ConsumerRecord<String, byte[]>> onTopic(UUID widget) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("enable.auto.commit", "false");
    List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(TOPIC, WAIT).stream()
              .map(info -> new TopicPartition(TOPIC, info.partition()))
              .toList();
      assertThat(partitions).isNotEmpty();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, WAIT);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p, WAIT) < end.get(p))) {
        assertThat(System.nanoTime()).as("topic read to its end in time").isLessThan(deadline);
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (widget.toString().equals(record.key())) {
            found.add(record);
          }
        }
      }
    }
    return found;
  }

  /** Rows in the outbox: all of them, or those of one event. */
  private long outboxRows(UUID eventId) {
    return pool.preparedQuery(
            "SELECT count(*) FROM outbox_event WHERE $1::uuid IS NULL OR id = $1::uuid")
        .execute(Tuple.of(eventId))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  private int updates(UUID widget) {
    return pool.preparedQuery("SELECT updates FROM widget WHERE id = $1")
        .execute(Tuple.of(widget))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getInteger(0);
  }

  /** The relay JVM: started, awaited at its crash point, killed with SIGKILL. */
  private static final class Child implements AutoCloseable {

    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();
    UUID eventId;

    private Child(Process process) {
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                  }
                } catch (IOException closed) {
                  // the process died; EOF below
                } finally {
                  lines.add(EOF);
                }
              },
              "relay-crash-child-output");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(OutboxRelayCrashTest test, UUID widget, String crashPoint)
        throws IOException {
      String url =
          test.databaseUrl.replaceFirst(
              "^postgresql://",
              "postgresql://" + test.databaseUser + ":" + test.databasePassword + "@");
      List<String> command =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-XX:TieredStopAtLevel=1",
              "-Xmx256m",
              "-cp",
              System.getProperty("java.class.path"),
              RelayCrashChild.class.getName(),
              url,
              test.bootstrapServers,
              widget.toString(),
              crashPoint);
      Child child = new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
      try {
        child.eventId = UUID.fromString(child.await("COMMITTED "));
        child.await("AT " + crashPoint);
      } catch (RuntimeException | Error e) {
        child.close();
        throw e;
      }
      return child;
    }

    /** Waits for the child's marker line starting with {@code prefix}; returns the rest. */
    private String await(String prefix) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        String line;
        try {
          line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        if (line == null || line.equals(EOF)) {
          throw new AssertionError(
              (line == null ? "timed out" : "child exited")
                  + " before '"
                  + prefix
                  + "'; its output:\n"
                  + String.join("\n", output));
        }
        output.add(line);
        if (line.startsWith(RelayCrashChild.MARKER + prefix)) {
          return line.substring((RelayCrashChild.MARKER + prefix).length());
        }
      }
    }

    /** SIGKILL: no shutdown hook, no rollback, no producer close. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(SIGKILL_EXIT);
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }
}
