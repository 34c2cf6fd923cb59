package io.linkflow.testing;

import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes records to the test Kafka as another service would, e.g. a CloudEvent:
 *
 * <pre>{@code
 * TestEvents.publish("user.events", event.key(), event.data(), CloudEventHeaders.toHeaders(event));
 * }</pre>
 */
public final class TestEvents {

  private TestEvents() {}

  /** Sends one record and waits for the broker's acknowledgement. */
  public static void publish(String topic, String key, byte[] value, List<Header> headers) {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Infrastructure.kafkaClientProperties(),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, null, key, value, headers)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("publishing to " + topic + " failed", e.getCause());
    }
  }
}
