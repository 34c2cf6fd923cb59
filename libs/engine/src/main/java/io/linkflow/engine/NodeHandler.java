package io.linkflow.engine;

/**
 * Runs one node type. Implementations are stateless and thread-safe: everything a run needs is in
 * the {@link NodeRun} (including the state of a previous run) and the {@link NodeContext}.
 */
public interface NodeHandler {

  /** The node type this handler runs, e.g. {@code linkflow.set}. */
  String type();

  /**
   * Runs the node over its input items.
   *
   * @throws NodeException for anything the workflow author should see (bad parameter, author's
   *     error); other exceptions are wrapped by {@link NodeRunner}
   */
  NodeResult run(NodeRun run, NodeContext context);
}
