package io.linkflow.events;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The eighteen Kafka topics of LinkFlow with their partition counts and retention (DESIGN.md §3).
 * Every producer, consumer, test and deployment file takes topic names from here.
 */
public enum Topic {
  WORKFLOW_EVENTS("workflow.events", 10, Duration.ofDays(7)),
  WORKFLOW_TRIGGERS("workflow.triggers", 5, Duration.ofDays(2)),
  EXECUTION_EVENTS("execution.events", 20, Duration.ofDays(3)),
  EXECUTION_COMMANDS("execution.commands", 15, Duration.ofDays(1)),
  EXECUTION_RESULTS("execution.results", 20, Duration.ofDays(5)),
  WEBHOOK_EVENTS("webhook.events", 10, Duration.ofDays(3)),
  SCHEDULE_TRIGGERS("schedule.triggers", 5, Duration.ofDays(1)),
  NOTIFICATION_EVENTS("notification.events", 10, Duration.ofDays(2)),
  ANALYTICS_EVENTS("analytics.events", 15, Duration.ofDays(30)),
  AUDIT_LOG("audit.log", 5, Duration.ofDays(30)),
  DLQ_EVENTS("dlq.events", 5, Duration.ofDays(14)),
  USER_EVENTS("user.events", 5, Duration.ofDays(7)),
  AUTH_EVENTS("auth.events", 5, Duration.ofDays(7)),
  CREDENTIAL_EVENTS("credential.events", 5, Duration.ofDays(7)),
  VARIABLE_EVENTS("variable.events", 5, Duration.ofDays(7)),
  NODE_EVENTS("node.events", 3, Duration.ofDays(7)),
  STORAGE_EVENTS("storage.events", 5, Duration.ofDays(3)),
  BILLING_EVENTS("billing.events", 5, Duration.ofDays(30));

  /** {@code max.message.bytes} of the topics that carry node items. */
  public static final int LARGE_MESSAGE_BYTES = 16 * 1024 * 1024;

  /** Kafka's default {@code max.message.bytes}. */
  public static final int DEFAULT_MESSAGE_BYTES = 1_048_588;

  private final String topicName;
  private final int partitions;
  private final Duration retention;

  Topic(String topicName, int partitions, Duration retention) {
    this.topicName = topicName;
    this.partitions = partitions;
    this.retention = retention;
  }

  /** The Kafka topic name, e.g. {@code workflow.events}. */
  public String topicName() {
    return topicName;
  }

  public int partitions() {
    return partitions;
  }

  public Duration retention() {
    return retention;
  }

  /** Retention as Kafka's {@code retention.ms} topic setting. */
  public long retentionMs() {
    return retention.toMillis();
  }

  /**
   * Largest record the topic accepts ({@code max.message.bytes}): 16 MiB for the commands and
   * results that carry node items, Kafka's default (about 1 MiB) elsewhere.
   */
  public int maxMessageBytes() {
    return this == EXECUTION_COMMANDS || this == EXECUTION_RESULTS
        ? LARGE_MESSAGE_BYTES
        : DEFAULT_MESSAGE_BYTES;
  }

  /** The topic settings to create it with: retention and record size. */
  public Map<String, String> configs() {
    return Map.of(
        "retention.ms",
        Long.toString(retentionMs()),
        "max.message.bytes",
        Integer.toString(maxMessageBytes()));
  }

  /** Looks a topic up by its Kafka name. */
  public static Optional<Topic> byName(String topicName) {
    return Arrays.stream(values()).filter(t -> t.topicName.equals(topicName)).findFirst();
  }
}
