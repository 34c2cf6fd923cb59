package io.linkflow.webhook;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.Topic;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes requests to run on webhook.events and completes once Kafka has them on every in-sync
 * replica ({@code acks=all}, idempotent producer): a webhook is answered only after its request is
 * durable, so nothing accepted is lost — without a database write on the request path.
 */
@ApplicationScoped
public class RequestPublisher {

  private final KafkaProducer<String, byte[]> producer;

  public RequestPublisher(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "quarkus.application.name") String applicationName) {
    Properties config = new Properties();
    config.putAll(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.CLIENT_ID_CONFIG, applicationName + "-requests",
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.LINGER_MS_CONFIG, "1",
            ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000",
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000"));
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  /** Sends {@code event} (keyed by its key) to webhook.events; completes when acknowledged. */
  public Uni<Void> publish(EventEnvelope event) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            Topic.WEBHOOK_EVENTS.topicName(),
            null,
            event.key(),
            event.data(),
            CloudEventHeaders.toHeaders(event));
    return Uni.createFrom()
        .emitter(
            emitter -> {
              try {
                producer.send(
                    record,
                    (metadata, failure) -> {
                      if (failure == null) {
                        emitter.complete(null);
                      } else {
                        emitter.fail(failure);
                      }
                    });
              } catch (RuntimeException e) {
                emitter.fail(e); // e.g. no metadata within max.block.ms: Kafka unreachable
              }
            });
  }

  @PreDestroy
  void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
