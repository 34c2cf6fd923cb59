package io.linkflow.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * execution.events: an execution moved from one state to another (created, running, waiting,
 * succeeded, failed, cancelled, timed_out).
 */
public record ExecutionStatusChangedV1(
    UUID executionId, UUID workflowId, String from, String to, Instant at, String error) {}
