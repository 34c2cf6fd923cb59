package io.linkflow.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.expressions.Expressions;
import io.linkflow.expressions.Scope;
import io.linkflow.nodes.Catalog;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Shared test setup: one runner, JSON helpers. */
final class Fixture {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Expressions EXPRESSIONS = new Expressions();
  static final Instant NOW = Instant.parse("2024-05-01T12:30:00Z");
  static final NodeContext CONTEXT =
      new NodeContext(
          EXPRESSIONS, Clock.fixed(NOW, ZoneOffset.UTC), Limits.defaults(), Catalog.builtIn());
  static final NodeRunner RUNNER = new NodeRunner(NodeRegistry.builtIn(), CONTEXT);
  static final Scope SCOPE = Scope.builder().now(NOW).execution("ex1", "manual").build();

  private Fixture() {}

  static ObjectNode obj(String json) {
    try {
      return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static JsonNode json(String json) {
    try {
      return JSON.readTree(json.replace('\'', '"'));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Items from a JSON array (single quotes allowed). */
  static List<ObjectNode> items(String array) {
    List<ObjectNode> list = new ArrayList<>();
    json(array).forEach(i -> list.add((ObjectNode) i));
    return list;
  }

  static NodeRun run(String type, String parameters, List<ObjectNode> main) {
    return run(type, parameters, Map.of(Ports.MAIN, main), null);
  }

  static NodeRun run(
      String type, String parameters, Map<String, List<ObjectNode>> inputs, JsonNode state) {
    return new NodeRun(
        "n1", "My " + type.substring(9), type, 1, obj(parameters), inputs, SCOPE, state);
  }

  static NodeRun run(String type, String parameters, List<ObjectNode> main, ZoneId zone) {
    return new NodeRun(
        "n1",
        "My " + type.substring(9),
        type,
        1,
        obj(parameters),
        Map.of(Ports.MAIN, main),
        SCOPE,
        null,
        zone);
  }

  static NodeResult exec(String type, String parameters, List<ObjectNode> main) {
    return RUNNER.run(run(type, parameters, main));
  }

  /** The values of one field over a list of items, as compact JSON texts. */
  static List<String> field(List<ObjectNode> items, String field) {
    return items.stream().map(i -> String.valueOf(Items.get(i, field))).toList();
  }
}
