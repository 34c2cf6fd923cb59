package io.linkflow.engine.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.Items;
import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeHandler;
import io.linkflow.engine.NodeResult;
import io.linkflow.engine.NodeRun;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loop Over Items (Split in Batches). Contract with the engine: the engine runs the node each time
 * items arrive on {@code main} — first from upstream, then each time the loop body connected back
 * to it finishes (with the body's items, possibly none) — passing the {@code state} this node
 * returned last time (null the first time, and after {@code done}).
 *
 * <ul>
 *   <li>No state (or {@code reset}): the input items are the items to loop over; the first {@code
 *       batchSize} leave on {@code loop}, the rest are kept in the state.
 *   <li>With state: the input items are the loop body's results for the previous batch; they are
 *       added to the processed items in the state, and the next batch leaves on {@code loop}.
 *   <li>When no items are left to hand out, all processed items leave on {@code done} and the state
 *       is null, so items arriving later start a new loop.
 * </ul>
 *
 * Empty input with no state gives {@code done} with no items. State: {@code {"remaining": [...],
 * "processed": [...], "batches": n}}.
 */
public final class SplitInBatchesHandler implements NodeHandler {

  @Override
  public String type() {
    return "linkflow.splitInBatches";
  }

  @Override
  public NodeResult run(NodeRun run, NodeContext context) {
    ObjectNode p = context.parameters(run);
    BigDecimal size = Items.number(p.get("batchSize"));
    if (size == null
        || size.signum() < 1
        || size.stripTrailingZeros().scale() > 0
        || size.compareTo(BigDecimal.valueOf(10_000)) > 0) {
      throw NodeException.parameter(
          run,
          "/batchSize",
          Items.text(p.get("batchSize")) + " is not a whole number from 1 to 10000");
    }
    int batchSize = size.intValue();
    JsonNode state = run.state();
    boolean fresh = state == null || !state.isObject() || p.path("reset").asBoolean(false);
    List<ObjectNode> remaining = new ArrayList<>();
    List<ObjectNode> processed = new ArrayList<>();
    long batches = 0;
    if (fresh) {
      remaining.addAll(run.main());
    } else {
      state.path("remaining").forEach(i -> remaining.add((ObjectNode) i));
      state.path("processed").forEach(i -> processed.add((ObjectNode) i));
      batches = state.path("batches").asLong();
      processed.addAll(run.main());
    }
    if (remaining.isEmpty()) {
      return new NodeResult(Map.of("done", processed), null);
    }
    int n = Math.min(batchSize, remaining.size());
    List<ObjectNode> batch = List.copyOf(remaining.subList(0, n));
    ObjectNode next = JsonNodeFactory.instance.objectNode();
    ArrayNode rest = next.putArray("remaining");
    remaining.subList(n, remaining.size()).forEach(rest::add);
    ArrayNode done = next.putArray("processed");
    processed.forEach(done::add);
    next.put("batches", batches + 1);
    return new NodeResult(Map.of("loop", batch), next);
  }
}
