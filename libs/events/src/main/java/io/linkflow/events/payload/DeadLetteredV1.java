package io.linkflow.events.payload;

/**
 * dlq.events: a record a consumer could not process, with why.
 *
 * @param originalTopic the topic it was read from
 * @param partition its partition
 * @param offset its offset
 * @param consumer the consumer group that gave up on it
 * @param error the failure
 * @param originalValue the record value as text (base64 when not UTF-8)
 */
public record DeadLetteredV1(
    String originalTopic,
    int partition,
    long offset,
    String consumer,
    String error,
    String originalValue) {}
