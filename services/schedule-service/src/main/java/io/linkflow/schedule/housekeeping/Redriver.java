package io.linkflow.schedule.housekeeping;

import io.linkflow.events.Topic;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Produces dead letters back to their original topic with the original key, value and headers (plus
 * {@code linkflow-redrive-count}), {@code acks=all} and idempotence: a re-drive counts only once
 * every in-sync replica has it. The key keeps the record in its aggregate's partition.
 */
@ApplicationScoped
public class Redriver {

  private final String bootstrapServers;
  private final String clientId;
  private KafkaProducer<byte[], byte[]> producer;

  public Redriver(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "quarkus.application.name") String applicationName) {
    this.bootstrapServers = bootstrapServers;
    this.clientId = applicationName + "-redrive";
  }

  /** Sends the letter to its original topic as re-drive number {@code count}. */
  public Uni<RecordMetadata> send(DeadLetter letter, int count) {
    List<Header> headers = new ArrayList<>();
    for (DeadLetter.StoredHeader h : letter.redriveHeaders(count)) {
      headers.add(new RecordHeader(h.name(), h.value()));
    }
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(letter.originalTopic(), null, letter.key(), letter.value(), headers);
    return Uni.createFrom()
        .emitter(
            emitter -> {
              try {
                producer()
                    .send(
                        record,
                        (metadata, failure) -> {
                          if (failure == null) {
                            emitter.complete(metadata);
                          } else {
                            emitter.fail(failure);
                          }
                        });
              } catch (RuntimeException e) {
                emitter.fail(e); // e.g. no metadata within max.block.ms: Kafka unreachable
              }
            });
  }

  private synchronized KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Properties config = new Properties();
      config.putAll(
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
              ProducerConfig.CLIENT_ID_CONFIG, clientId,
              ProducerConfig.ACKS_CONFIG, "all",
              ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
              ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000",
              ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
              ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000",
              // the original topic decides what it accepts (16 MiB for commands and results)
              ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topic.LARGE_MESSAGE_BYTES)));
      producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  @PreDestroy
  synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
