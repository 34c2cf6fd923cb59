package io.linkflow.execution.store;

import java.time.Instant;
import java.util.UUID;

/**
 * An execution as stored. JSON columns travel as text (parsed where needed).
 *
 * @param state the orchestrator's {@code ExecState} as JSON
 * @param input the trigger's items as a JSON array
 * @param error the failure as a JSON object, or null
 */
public record ExecutionRow(
    UUID id,
    UUID workspaceId,
    UUID workflowId,
    UUID versionId,
    String workflowName,
    String mode,
    String status,
    String triggerNodeId,
    String input,
    String state,
    String error,
    UUID parentExecutionId,
    UUID parentNodeRunId,
    UUID retryOf,
    Integer concurrencyLimit,
    String saveData,
    int nodeRuns,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Instant deadline,
    Instant wakeAt) {

  public ExecutionRow withStatus(String newStatus) {
    return new ExecutionRow(
        id,
        workspaceId,
        workflowId,
        versionId,
        workflowName,
        mode,
        newStatus,
        triggerNodeId,
        input,
        state,
        error,
        parentExecutionId,
        parentNodeRunId,
        retryOf,
        concurrencyLimit,
        saveData,
        nodeRuns,
        createdAt,
        startedAt,
        finishedAt,
        deadline,
        wakeAt);
  }
}
