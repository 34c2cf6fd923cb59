package io.linkflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.expressions.Scope;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run of one node, as the engine hands it to a {@link NodeHandler}.
 *
 * @param nodeId the node's id in the workflow
 * @param nodeName the node's name (what authors see, and what {@code $node["Name"]} uses)
 * @param type the node type, e.g. {@code linkflow.set}
 * @param typeVersion the catalog version of the type
 * @param parameters the parameters as saved: expressions unresolved, defaults not filled
 * @param inputs the items by input port ({@code main}, {@code input1}, {@code input2}); an input
 *     that received nothing may be absent. For a trigger, the trigger's items on {@code main}
 * @param scope {@code $node} outputs so far, {@code $vars}, {@code $execution}, {@code $workflow},
 *     {@code $now}; {@code $json} is set per item by {@link NodeContext#parameters(NodeRun,
 *     ObjectNode)}
 * @param state this node's state from its previous run in the same execution (Split in Batches);
 *     null on the first run
 * @param timezone the workflow's time zone (settings), used where a node's {@code timezone}
 *     parameter is not set; UTC if null
 */
public record NodeRun(
    String nodeId,
    String nodeName,
    String type,
    int typeVersion,
    ObjectNode parameters,
    Map<String, List<ObjectNode>> inputs,
    Scope scope,
    JsonNode state,
    ZoneId timezone) {

  public NodeRun {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(parameters, "parameters");
    Objects.requireNonNull(scope, "scope");
    Map<String, List<ObjectNode>> copy = new LinkedHashMap<>();
    if (inputs != null) {
      inputs.forEach((port, items) -> copy.put(port, List.copyOf(items)));
    }
    inputs = Map.copyOf(copy);
    timezone = timezone == null ? ZoneOffset.UTC : timezone;
  }

  /** A run in a workflow whose time zone is UTC. */
  public NodeRun(
      String nodeId,
      String nodeName,
      String type,
      int typeVersion,
      ObjectNode parameters,
      Map<String, List<ObjectNode>> inputs,
      Scope scope,
      JsonNode state) {
    this(nodeId, nodeName, type, typeVersion, parameters, inputs, scope, state, null);
  }

  /** The items of one input port; empty if it received none. */
  public List<ObjectNode> input(String port) {
    return inputs.getOrDefault(port, List.of());
  }

  /** The items of the {@code main} input. */
  public List<ObjectNode> main() {
    return input(Ports.MAIN);
  }
}
