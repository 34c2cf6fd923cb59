package io.linkflow.engine.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.Items;
import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeHandler;
import io.linkflow.engine.NodeResult;
import io.linkflow.engine.NodeRun;
import java.math.BigDecimal;
import java.util.List;

/** Limit: the first (or last, {@code keep: last}) {@code maxItems} items, in input order. */
public final class LimitHandler implements NodeHandler {

  @Override
  public String type() {
    return "linkflow.limit";
  }

  @Override
  public NodeResult run(NodeRun run, NodeContext context) {
    ObjectNode p = context.parameters(run);
    BigDecimal n = Items.number(p.get("maxItems"));
    if (n == null || n.signum() < 1 || n.stripTrailingZeros().scale() > 0) {
      throw NodeException.parameter(
          run, "/maxItems", Items.text(p.get("maxItems")) + " is not a positive whole number");
    }
    List<ObjectNode> items = run.main();
    int max = n.compareTo(BigDecimal.valueOf(items.size())) >= 0 ? items.size() : n.intValue();
    return NodeResult.main(
        "last".equals(p.path("keep").asText("first"))
            ? items.subList(items.size() - max, items.size())
            : items.subList(0, max));
  }
}
