package io.linkflow.events.payload;

import java.time.Instant;
import java.util.UUID;

/**
 * execution.commands: execution-service asks an executor to run one node ({@code
 * execution.run_node}) or to stop running it ({@code execution.abort_node}). Keyed by execution id.
 * A command may be delivered more than once; the execution service records the first result for a
 * (node run, attempt) and ignores the rest.
 *
 * @param commandId unique per dispatch (a re-dispatch after an expired lease gets a new one)
 * @param executionId the execution
 * @param nodeRunId the node run this command is about
 * @param attempt 1 for the first attempt, 2… for retries
 * @param deadline when the executor must give up on the run (the node's timeout); null for abort
 * @param task the node run as JSON text ({@code io.linkflow.engine.wire.NodeTask}); null for abort
 */
public record ExecutionCommandV1(
    UUID commandId, UUID executionId, UUID nodeRunId, int attempt, Instant deadline, String task) {}
