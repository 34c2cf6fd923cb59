package io.linkflow.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * execution.results: an executor finished running one node. Keyed by execution id.
 *
 * @param commandId the command that asked for the run
 * @param executionId the execution
 * @param nodeRunId the node run
 * @param attempt the attempt of the command
 * @param status {@code succeeded} or {@code failed}
 * @param outcome outputs by port, the node's state and, on failure, the error, as JSON text ({@code
 *     io.linkflow.engine.wire.NodeOutcome})
 * @param startedAt when the executor started the run
 * @param finishedAt when it finished
 * @param worker the executor instance that ran it (host name and process id)
 */
public record NodeResultV1(
    UUID commandId,
    UUID executionId,
    UUID nodeRunId,
    int attempt,
    String status,
    String outcome,
    Instant startedAt,
    Instant finishedAt,
    String worker) {}
