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

  /**
   * One trigger node.
   *
   * @param nodeId its node id
   * @param type its node type
   * @param parameters its parameters as JSON text
   * @param credentials its credential references as JSON text ({@code {"<credential type>": {"id":
   *     …, "name": …}}}), e.g. the credential a Webhook trigger checks callers against; null when
   *     it has none (and in events written before this field existed)
   */
  public record Trigger(String nodeId, String type, String parameters, String credentials) {

    /** A trigger without credential references. */
    public Trigger(String nodeId, String type, String parameters) {
      this(nodeId, type, parameters, null);
    }
  }
}
