package io.linkflow.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * analytics.events: an execution reached a terminal state. One per execution, for usage and
 * duration rollups.
 *
 * @param executionId the execution
 * @param workflowId its workflow
 * @param versionId the version it ran
 * @param mode how it was started: manual, webhook, schedule, event, error, sub-workflow, retry
 * @param status succeeded, failed, cancelled or timed_out
 * @param startedAt when it was created
 * @param finishedAt when it reached {@code status}
 * @param durationMs {@code finishedAt - startedAt} in milliseconds
 * @param nodeRuns how many node runs it took (attempts included)
 * @param error the failure's message, or null
 */
public record ExecutionCompletedV1(
    UUID executionId,
    UUID workflowId,
    UUID versionId,
    String mode,
    String status,
    Instant startedAt,
    Instant finishedAt,
    long durationMs,
    int nodeRuns,
    String error) {}
