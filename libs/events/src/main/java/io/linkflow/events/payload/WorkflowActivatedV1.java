package io.linkflow.events.payload;

import java.util.List;
import java.util.UUID;

/**
 * workflow.events: a workflow version became active; trigger services register its triggers.
 *
 * @param workflowId the workflow
 * @param versionId the immutable version now active
 * @param triggers the trigger nodes of that version (type and parameters)
 */
public record WorkflowActivatedV1(UUID workflowId, UUID versionId, List<Trigger> triggers) {

  /** One trigger node: its node id, node type and parameters as JSON text. */
  public record Trigger(String nodeId, String type, String parameters) {}
}
