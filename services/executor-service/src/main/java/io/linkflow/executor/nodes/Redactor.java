package io.linkflow.executor.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.linkflow.engine.NodeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps credentials out of failures: every secret a run used (secret credential fields, access
 * tokens, the Authorization values built from them) is replaced by {@code ***} in the message and
 * details of a failure before it leaves the executor — an API that echoes a request into its error
 * body cannot leak them into the execution history.
 */
final class Redactor {

  private static final int SHORTEST = 4;
  private final Set<String> secrets = new LinkedHashSet<>();

  void add(String secret) {
    if (secret != null && secret.length() >= SHORTEST) {
      secrets.add(secret);
    }
  }

  boolean isEmpty() {
    return secrets.isEmpty();
  }

  String redact(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    List<String> longestFirst = new ArrayList<>(secrets);
    longestFirst.sort(Comparator.comparingInt(String::length).reversed());
    String redacted = text;
    for (String secret : longestFirst) {
      redacted = redacted.replace(secret, "***");
    }
    return redacted;
  }

  JsonNode redact(JsonNode node) {
    if (node == null || secrets.isEmpty()) {
      return node;
    }
    if (node.isTextual()) {
      return TextNode.valueOf(redact(node.asText()));
    }
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).objectNode();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        copy.set(redact(field.getKey()), redact(field.getValue()));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = ((ArrayNode) node).arrayNode();
      node.forEach(element -> copy.add(redact(element)));
      return copy;
    }
    return node;
  }

  NodeException redact(NodeException e) {
    if (secrets.isEmpty()) {
      return e;
    }
    return new NodeException(
        e.nodeId(),
        e.nodeName(),
        redact(e.getMessage()),
        e.retryable(),
        e.parameter(),
        redact(e.details()),
        null);
  }
}
