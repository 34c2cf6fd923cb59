package io.linkflow.engine.nodes;

import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeHandler;
import io.linkflow.engine.NodeResult;
import io.linkflow.engine.NodeRun;

/** No Operation: its output is its input. */
public final class NoOpHandler implements NodeHandler {

  @Override
  public String type() {
    return "linkflow.noOp";
  }

  @Override
  public NodeResult run(NodeRun run, NodeContext context) {
    return NodeResult.main(run.main());
  }
}
