package io.linkflow.schedule.housekeeping;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Stores every record of dlq.events once in {@code dead_letter} (consumer group {@code
 * schedule-service.dlq}): a record delivered twice, or the same original record dead-lettered
 * twice, is one letter (unique original topic, partition and offset). A record is acknowledged only
 * once stored; while the database is unreachable the consumer retries with back-off and reads
 * nothing further, so no dead letter is lost.
 */
@ApplicationScoped
public class DeadLetterConsumer {

  private static final Logger LOG = Logger.getLogger(DeadLetterConsumer.class);

  private final Pool pool;
  private final DeadLetters letters;
  private final DeadLetterProcessor processor;

  public DeadLetterConsumer(Pool pool, DeadLetters letters, DeadLetterProcessor processor) {
    this.pool = pool;
    this.letters = letters;
    this.processor = processor;
  }

  @Incoming("dead-letters")
  public Uni<Void> store(ConsumerRecord<byte[], byte[]> record) {
    DeadLetter letter = DeadLetter.from(record);
    return pool.withConnection(c -> letters.insert(c, letter))
        .onFailure()
        .invoke(
            e ->
                LOG.warnf(
                    "Dead letter %s-%d@%d not stored yet, retrying: %s",
                    record.topic(), record.partition(), record.offset(), e.toString()))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30))
        .indefinitely()
        .invoke(
            stored -> {
              if (stored) {
                LOG.warnf(
                    "Dead letter %s from %s-%d@%d (%s %s): %s",
                    letter.id(),
                    letter.originalTopic(),
                    letter.originalPartition(),
                    letter.originalOffset(),
                    letter.header("ce_type"),
                    letter.header("ce_id"),
                    letter.reason());
              } else {
                LOG.debugf(
                    "Dead letter from %s-%d@%d stored already",
                    letter.originalTopic(), letter.originalPartition(), letter.originalOffset());
              }
            })
        .call(processor::refreshSize)
        .replaceWithVoid();
  }
}
