package io.linkflow.events.payload;

import java.util.UUID;

/**
 * workflow.triggers, webhook.events, schedule.triggers: run a workflow. The execution service
 * creates the execution with the id given here, so a redelivered request creates nothing new.
 *
 * @param executionId the id the caller was answered with
 * @param workflowId the workflow to run
 * @param versionId the version to pin the execution to; null: the workflow's latest version (the
 *     execution service knows it from workflow.events)
 * @param mode how it was started: manual, webhook, schedule, event, error, sub-workflow
 * @param input the trigger's output items as JSON text
 * @param triggerNodeId the trigger node that fired (a webhook or schedule trigger); null: the
 *     execution service picks the trigger matching {@code mode}
 * @param parentExecutionId for a sub-workflow: the execution whose Execute Workflow node waits for
 *     this one; null otherwise
 * @param parentNodeRunId for a sub-workflow: that node run
 */
public record ExecutionRequestedV1(
    UUID executionId,
    UUID workflowId,
    UUID versionId,
    String mode,
    String input,
    String triggerNodeId,
    UUID parentExecutionId,
    UUID parentNodeRunId) {

  /** A request that lets the execution service pick the trigger node. */
  public ExecutionRequestedV1(
      UUID executionId, UUID workflowId, UUID versionId, String mode, String input) {
    this(executionId, workflowId, versionId, mode, input, null, null, null);
  }
}
