package io.linkflow.executor.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeRun;

/**
 * NodeExceptions of the executor's handlers, worded for the workflow author and naming the node.
 */
final class Failures {

  private Failures() {}

  static NodeException fail(NodeRun run, String message, boolean retryable) {
    return fail(run, message, retryable, null);
  }

  static NodeException fail(NodeRun run, String message, boolean retryable, JsonNode details) {
    return new NodeException(
        run.nodeId(),
        run.nodeName(),
        "node \"" + run.nodeName() + "\": " + message,
        retryable,
        null,
        details,
        null);
  }

  /** A bad parameter: not retryable; {@code pointer} is the parameter's JSON Pointer. */
  static NodeException parameter(NodeRun run, String pointer, String message) {
    return new NodeException(
        run.nodeId(),
        run.nodeName(),
        "node \"" + run.nodeName() + "\", parameter " + pointer + ": " + message,
        false,
        pointer,
        null,
        null);
  }
}
