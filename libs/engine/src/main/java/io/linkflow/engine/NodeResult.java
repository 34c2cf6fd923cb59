package io.linkflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a node produced.
 *
 * @param outputs the items by output port, in port order; a port with no items may be absent
 * @param state the node's state for its next run in the same execution (Split in Batches), or null
 */
public record NodeResult(Map<String, List<ObjectNode>> outputs, JsonNode state) {

  public NodeResult {
    Map<String, List<ObjectNode>> copy = new LinkedHashMap<>();
    if (outputs != null) {
      outputs.forEach((port, items) -> copy.put(port, List.copyOf(items)));
    }
    outputs = java.util.Collections.unmodifiableMap(copy);
  }

  /** Items on {@code main}, no state. */
  public static NodeResult main(List<ObjectNode> items) {
    return new NodeResult(Map.of(Ports.MAIN, items), null);
  }

  /** No items on any port. */
  public static NodeResult empty() {
    return new NodeResult(Map.of(), null);
  }

  /** The items of one output port; empty if it has none. */
  public List<ObjectNode> output(String port) {
    return outputs.getOrDefault(port, List.of());
  }
}
