package io.linkflow.schedule.housekeeping;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.testing.TopicWatcher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * A consumer of the tests (storage.events, channel {@code housekeeping-test-flaky}, configured for
 * the test profile only) with the failure strategy every LinkFlow consumer has: {@code
 * dead-letter-queue} to dlq.events. It fails the first delivery of the events a test names, so real
 * SmallRye Kafka dead-letters them with its own headers.
 */
@ApplicationScoped
public class FlakyTestConsumer {

  private final Set<String> failOnce = ConcurrentHashMap.newKeySet();
  private final Map<String, List<ConsumerRecord<String, byte[]>>> received =
      new ConcurrentHashMap<>();

  /** The first delivery of the event with this CloudEvents id fails. */
  public void failOnce(String eventId) {
    failOnce.add(eventId);
  }

  /** The deliveries of the event with this CloudEvents id so far, in order. */
  public List<ConsumerRecord<String, byte[]>> received(String eventId) {
    return List.copyOf(received.getOrDefault(eventId, List.of()));
  }

  @Incoming("housekeeping-test-flaky")
  public void consume(ConsumerRecord<String, byte[]> record) {
    String id = TopicWatcher.header(record, CloudEventHeaders.ID);
    if (id == null) {
      return;
    }
    received.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(record);
    if (failOnce.remove(id)) {
      throw new IllegalStateException("the storage backend is unavailable (test)");
    }
  }
}
