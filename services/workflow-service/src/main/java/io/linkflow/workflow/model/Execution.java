package io.linkflow.workflow.model;

/**
 * The answer to an execute request: the execution id the execution service will use.
 *
 * @param status {@code queued}; follow it at {@code /api/v1/executions/{executionId}}
 */
public record Execution(
    String executionId, String workflowId, String versionId, String mode, String status) {}
