package io.linkflow.engine.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.Items;
import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeHandler;
import io.linkflow.engine.NodeResult;
import io.linkflow.engine.NodeRun;

/**
 * Stop and Error: always fails, with parameters resolved against the first input item. {@code
 * message}: the exception's message is the author's {@code message}. {@code object}: the message is
 * the object's {@code message} field if it is a string, else the object as compact JSON; the object
 * is the exception's {@link NodeException#details()}. Never retryable. Runs even with no input
 * items (once).
 */
public final class StopAndErrorHandler implements NodeHandler {

  @Override
  public String type() {
    return "linkflow.stopAndError";
  }

  @Override
  public NodeResult run(NodeRun run, NodeContext context) {
    ObjectNode p = context.parameters(run);
    if ("object".equals(p.path("errorType").asText("message"))) {
      JsonNode object = p.get("errorObject");
      if (object == null || !object.isObject()) {
        throw NodeException.parameter(run, "/errorObject", "must be a JSON object");
      }
      JsonNode message = object.get("message");
      String text =
          message != null && message.isTextual() && !message.textValue().isBlank()
              ? message.textValue()
              : object.toString();
      throw new NodeException(run.nodeId(), run.nodeName(), text, false, null, object, null);
    }
    String message = Items.text(p.get("message"));
    if (message.isBlank()) {
      message = "stopped by node \"" + run.nodeName() + "\"";
    }
    throw new NodeException(run.nodeId(), run.nodeName(), message, false, null, null, null);
  }
}
