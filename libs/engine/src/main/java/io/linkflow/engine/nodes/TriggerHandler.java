package io.linkflow.engine.nodes;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeHandler;
import io.linkflow.engine.NodeResult;
import io.linkflow.engine.NodeRun;
import java.util.List;

/**
 * A trigger node at execution time (manual, webhook, schedule, event, error trigger): the trigger
 * itself fired outside the engine (API, webhook-service, scheduler, event consumer), which passes
 * the items it built on the {@code main} input. The node outputs them, or one empty item if there
 * are none (a manual run without a body).
 */
public record TriggerHandler(String type) implements NodeHandler {

  @Override
  public NodeResult run(NodeRun run, NodeContext context) {
    return NodeResult.main(
        run.main().isEmpty() ? List.of(JsonNodeFactory.instance.objectNode()) : run.main());
  }
}
