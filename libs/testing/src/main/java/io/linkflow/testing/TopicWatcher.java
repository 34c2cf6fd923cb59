package io.linkflow.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every partition of a topic of the test Kafka from the beginning (no consumer group), so a
 * test can wait for the record it caused and look at everything published before it.
 */
public final class TopicWatcher implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;

  /** Records read from Kafka but not handed out yet (a poll can return more than a match). */
  private final Deque<ConsumerRecord<String, byte[]>> pending = new ArrayDeque<>();

  private TopicWatcher(String topic) {
    ensureExists(topic);
    Properties props = Infrastructure.kafkaClientProperties();
    props.put("enable.auto.commit", "false");
    // seekToBeginning below; should a partition's position be reset again (a topic created a
    // moment ago, its leader still moving), fall back to the beginning too, never to the end.
    props.put("auto.offset.reset", "earliest");
    props.put("metadata.max.age.ms", "500");
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    // Every partition, from the beginning, without a consumer group: no rebalance to wait for.
    List<TopicPartition> partitions = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (partitions.isEmpty() && System.nanoTime() < deadline) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
      if (infos != null) {
        infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      }
    }
    if (partitions.isEmpty()) {
      consumer.close();
      throw new IllegalStateException("topic " + topic + " has no partitions");
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  public static TopicWatcher watch(String topic) {
    return new TopicWatcher(topic);
  }

  /**
   * Every record read until (and including) the first whose header {@code name} equals {@code
   * value}; fails the test if none arrives within {@code timeout}.
   */
  public List<ConsumerRecord<String, byte[]>> until(String name, String value, Duration timeout) {
    List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      for (ConsumerRecord<String, byte[]> record = next(); record != null; record = next()) {
        seen.add(record);
        if (value.equals(header(record, name))) {
          return seen;
        }
      }
    } while (System.nanoTime() < deadline);
    throw new AssertionError(
        "no record with " + name + "=" + value + " within " + timeout + "; saw " + seen.size());
  }

  /**
   * The first record with header {@code name} = {@code value} and header {@code otherName} = {@code
   * otherValue} (e.g. an event type and a subject), taken out of the stream; records that do not
   * match stay for later calls, so several records can be awaited in any order. Fails the test if
   * none arrives within {@code timeout}.
   */
  public ConsumerRecord<String, byte[]> first(
      String name, String value, String otherName, String otherValue, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      for (var it = pending.iterator(); it.hasNext(); ) {
        ConsumerRecord<String, byte[]> record = it.next();
        if (value.equals(header(record, name)) && otherValue.equals(header(record, otherName))) {
          it.remove();
          return record;
        }
      }
      consumer.poll(Duration.ofMillis(200)).forEach(pending::add);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(
        "no record with "
            + name
            + "="
            + value
            + " and "
            + otherName
            + "="
            + otherValue
            + " within "
            + timeout
            + "; saw "
            + pending.size());
  }

  /** Whatever arrives within {@code timeout} (and anything read earlier but not handed out). */
  public List<ConsumerRecord<String, byte[]>> poll(Duration timeout) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(pending);
    pending.clear();
    consumer.poll(timeout).forEach(records::add);
    return records;
  }

  /** The next record in order of reading: a buffered one, else one polled for up to 200 ms. */
  private ConsumerRecord<String, byte[]> next() {
    if (pending.isEmpty()) {
      consumer.poll(Duration.ofMillis(200)).forEach(pending::add);
    }
    return pending.pollFirst();
  }

  /** The first record whose header {@code name} equals {@code value}. */
  public ConsumerRecord<String, byte[]> await(String name, String value, Duration timeout) {
    List<ConsumerRecord<String, byte[]>> seen = until(name, value, timeout);
    return seen.get(seen.size() - 1);
  }

  /**
   * Creates the topic if nobody has published to it yet: a consumer subscribed to a missing topic
   * may not see it appear until its next metadata refresh, minutes later.
   */
  private static void ensureExists(String topic) {
    try (Admin admin = Admin.create(Infrastructure.kafkaClientProperties())) {
      admin
          .createTopics(List.of(new NewTopic(topic, 3, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topic " + topic, e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not create topic " + topic + " in time", e);
    }
  }

  /** A header's value as UTF-8 text, or null. */
  public static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
