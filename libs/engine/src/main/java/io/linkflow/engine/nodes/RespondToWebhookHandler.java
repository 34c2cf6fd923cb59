package io.linkflow.engine.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeHandler;
import io.linkflow.engine.NodeResult;
import io.linkflow.engine.NodeRun;
import io.linkflow.engine.Ports;
import java.util.Map;

/**
 * Respond to Webhook: builds the HTTP response of the webhook call that started the execution and
 * passes its items through. The response — {@code {status, headers, body}}, body as text — is the
 * node's result state; the execution service sends it to the waiting caller (the first Respond node
 * of an execution wins).
 */
public final class RespondToWebhookHandler implements NodeHandler {

  public static final String TYPE = "linkflow.respondToWebhook";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public NodeResult run(NodeRun run, NodeContext context) {
    ObjectNode p = context.parameters(run);
    String respondWith = p.path("respondWith").asText("firstItem");
    ObjectNode response = JsonNodeFactory.instance.objectNode();
    response.put("status", p.path("statusCode").asInt(200));
    ObjectNode headers = response.putObject("headers");
    p.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
    switch (respondWith) {
      case "firstItem" -> {
        json(headers);
        response.put("body", NodeContext.firstItem(run).toString());
      }
      case "allItems" -> {
        json(headers);
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        run.main().forEach(all::add);
        response.put("body", all.toString());
      }
      case "json" -> {
        json(headers);
        JsonNode body = p.path("body");
        if (body.isTextual()) {
          try {
            body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body.asText());
          } catch (java.io.IOException e) {
            throw new NodeException(
                run.nodeId(),
                run.nodeName(),
                "the body is not JSON: " + e.getMessage(),
                false,
                "/body",
                null,
                e);
          }
        }
        response.put("body", body.isMissingNode() ? "{}" : body.toString());
      }
      case "text" -> {
        if (!headers.has("Content-Type") && !headers.has("content-type")) {
          headers.put("Content-Type", "text/plain; charset=utf-8");
        }
        response.put("body", p.path("body").asText(""));
      }
      default -> response.putNull("body"); // noData
    }
    return new NodeResult(Map.of(Ports.MAIN, run.main()), response);
  }

  private static void json(ObjectNode headers) {
    if (!headers.has("Content-Type") && !headers.has("content-type")) {
      headers.put("Content-Type", "application/json");
    }
  }
}
