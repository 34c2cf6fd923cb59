package io.linkflow.engine.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.NodeRun;
import io.linkflow.expressions.Scope;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * One node run as execution-service sends it to an executor (the {@code task} of an {@code
 * execution.run_node} command, as JSON): everything the executor needs, so it reads no database.
 *
 * @param node the node as saved in the pinned workflow version
 * @param inputs the items by input port
 * @param nodes {@code $node}: each earlier node's last output items ({@code main}) by node name
 * @param executionId {@code $execution.id}
 * @param executionMode {@code $execution.mode}
 * @param workflowId {@code $workflow.id}
 * @param workflowName {@code $workflow.name}
 * @param versionId {@code $workflow.versionId}
 * @param workspaceId the workspace (credentials and variables are read in it)
 * @param timezone the workflow's time zone
 * @param state the node's state from its previous run (Split in Batches), or null
 * @param now {@code $now}, fixed for the execution
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeTask(
    TaskNode node,
    Map<String, List<ObjectNode>> inputs,
    Map<String, List<JsonNode>> nodes,
    String executionId,
    String executionMode,
    String workflowId,
    String workflowName,
    String versionId,
    String workspaceId,
    String timezone,
    JsonNode state,
    Instant now) {

  /**
   * The node of a task.
   *
   * @param credentials credential type name → credential id
   * @param timeoutSeconds the node's timeout, or null for the executor's default
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TaskNode(
      String id,
      String name,
      String type,
      int typeVersion,
      ObjectNode parameters,
      Map<String, String> credentials,
      Integer timeoutSeconds) {

    public TaskNode {
      credentials = credentials == null ? Map.of() : Map.copyOf(credentials);
    }
  }

  /** The {@link NodeRun} for a handler, with {@code $vars} as given. */
  public NodeRun toNodeRun(Map<String, String> vars) {
    Scope.Builder scope =
        Scope.builder()
            .execution(executionId, executionMode)
            .workflow(workflowId, workflowName, versionId)
            .vars(vars == null ? Map.of() : vars);
    if (nodes != null) {
      scope.nodes(nodes);
    }
    if (now != null) {
      scope.now(now);
    }
    return new NodeRun(
        node.id(),
        node.name(),
        node.type(),
        node.typeVersion(),
        node.parameters(),
        inputs,
        scope.build(),
        state,
        timezone == null ? null : ZoneId.of(timezone));
  }

  /** Whether any parameter of the node mentions {@code $vars} (so variables must be read). */
  public boolean usesVariables() {
    return node.parameters() != null && node.parameters().toString().contains("$vars");
  }
}
