package io.linkflow.webhook;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.WebhookResponseV1;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Webhook calls waiting for their execution's answer ({@code execution.webhook_response} on
 * execution.events). Every replica reads every partition of execution.events from the end, without
 * a consumer group, so the replica holding a call sees its answer whichever partition it is on. A
 * call registers before its request is published, so no answer can pass unseen.
 */
@ApplicationScoped
public class Responses {

  private static final Logger LOG = Logger.getLogger(Responses.class);

  private final String bootstrapServers;
  private final ConcurrentHashMap<UUID, CompletableFuture<WebhookResponseV1>> waiting =
      new ConcurrentHashMap<>();
  private final CountDownLatch positioned = new CountDownLatch(1);
  private volatile boolean running;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Thread thread;

  public Responses(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  void start(@Observes StartupEvent ignored) {
    running = true;
    thread = Thread.ofPlatform().daemon().name("webhook-responses").start(this::loop);
  }

  void stop(@Observes ShutdownEvent ignored) {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  /** Waits for the answer to {@code executionId}; register before publishing the request. */
  public CompletableFuture<WebhookResponseV1> register(UUID executionId) {
    awaitPositioned();
    CompletableFuture<WebhookResponseV1> future = new CompletableFuture<>();
    waiting.put(executionId, future);
    return future;
  }

  /** Stops waiting for {@code executionId} (its request was not stored, or the caller gave up). */
  public void forget(UUID executionId) {
    waiting.remove(executionId);
  }

  /** The answer within {@code timeout}, or null (the caller then gets the execution id). */
  public Uni<WebhookResponseV1> await(
      UUID executionId, CompletableFuture<WebhookResponseV1> future, Duration timeout) {
    return Uni.createFrom()
        .completionStage(future)
        .ifNoItem()
        .after(timeout)
        .recoverWithItem(() -> null)
        .eventually(() -> forget(executionId));
  }

  /** How many calls are waiting (a gauge for operators). */
  public int waitingCount() {
    return waiting.size();
  }

  private void awaitPositioned() {
    if (positioned.getCount() > 0) {
      throw new io.linkflow.common.error.ProblemException(
              503, "The webhook service is starting; try again in a moment.")
          .withHeader("Retry-After", "1");
    }
  }

  private void loop() {
    while (running) {
      try (KafkaConsumer<String, byte[]> c = newConsumer()) {
        consumer = c;
        List<TopicPartition> partitions = new ArrayList<>();
        c.partitionsFor(Topic.EXECUTION_EVENTS.topicName(), Duration.ofSeconds(30))
            .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        c.assign(partitions);
        c.seekToEnd(partitions);
        partitions.forEach(c::position); // resolve the end now: later answers are all seen
        positioned.countDown();
        while (running) {
          for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
            deliver(record);
          }
        }
      } catch (WakeupException stopping) {
        return;
      } catch (RuntimeException e) {
        LOG.warnf("Reading execution.events for webhook answers failed, again in 1 s: %s", e);
        try {
          Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private void deliver(ConsumerRecord<String, byte[]> record) {
    if (waiting.isEmpty()) {
      return;
    }
    var type = record.headers().lastHeader(CloudEventHeaders.TYPE);
    if (type == null
        || !EventTypes.WEBHOOK_RESPONSE_V1
            .cloudEventType()
            .equals(new String(type.value(), java.nio.charset.StandardCharsets.UTF_8))) {
      return;
    }
    try {
      EventEnvelope event = CloudEventHeaders.fromHeaders(record.headers(), record.value());
      WebhookResponseV1 response = EventCodec.read(EventTypes.WEBHOOK_RESPONSE_V1, event);
      CompletableFuture<WebhookResponseV1> future = waiting.remove(response.executionId());
      if (future != null) {
        future.complete(response);
      }
    } catch (RuntimeException unreadable) {
      LOG.warnf("An unreadable webhook answer on execution.events was skipped: %s", unreadable);
    }
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("enable.auto.commit", "false");
    p.put("client.id", "webhook-service-responses");
    // small batches: at most 5 ms added to a waiting call, not a fetch per event under load
    p.put("fetch.min.bytes", "16384");
    p.put("fetch.max.wait.ms", "5");
    p.put("auto.offset.reset", "latest");
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
