package io.linkflow.events.payload;

import java.util.Map;
import java.util.UUID;

/**
 * execution.events: the HTTP response for the webhook call that started an execution and is waiting
 * for it (trigger {@code responseMode} {@code lastNode} or {@code responseNode}). At most one per
 * execution: what its first Respond to Webhook node built, its last node's output, or — when it
 * ended without one — an error or an empty answer. Published through the outbox, so only once the
 * execution's state that produced it is committed.
 *
 * @param executionId the execution (the webhook call it answers asked for it)
 * @param status the HTTP status
 * @param headers response headers (Content-Type among them when there is a body)
 * @param body the body as text, or null for none
 */
public record WebhookResponseV1(
    UUID executionId, int status, Map<String, String> headers, String body) {}
