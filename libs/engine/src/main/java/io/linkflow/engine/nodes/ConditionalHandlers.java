package io.linkflow.engine.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeHandler;
import io.linkflow.engine.NodeResult;
import io.linkflow.engine.NodeRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * IF ({@code true}/{@code false}) and Filter ({@code kept}/{@code discarded}): the same per-item
 * condition test with two outputs. Parameters are resolved per item, so {@code left} is usually
 * {@code {{ $json.status }}}.
 */
public final class ConditionalHandlers {

  private ConditionalHandlers() {}

  public static NodeHandler ifHandler() {
    return new TwoWay("linkflow.if", "true", "false");
  }

  public static NodeHandler filterHandler() {
    return new TwoWay("linkflow.filter", "kept", "discarded");
  }

  private record TwoWay(String type, String yes, String no) implements NodeHandler {
    @Override
    public NodeResult run(NodeRun run, NodeContext context) {
      List<ObjectNode> passed = new ArrayList<>();
      List<ObjectNode> failed = new ArrayList<>();
      for (ObjectNode item : run.main()) {
        ObjectNode p = context.parameters(run, item);
        boolean holds =
            Conditions.test(
                run,
                p.get("conditions"),
                p.path("combinator").asText("and"),
                p.path("ignoreCase").asBoolean(false),
                "/conditions");
        (holds ? passed : failed).add(item);
      }
      Map<String, List<ObjectNode>> outputs = new LinkedHashMap<>();
      outputs.put(yes, passed);
      outputs.put(no, failed);
      return new NodeResult(outputs, null);
    }
  }
}
