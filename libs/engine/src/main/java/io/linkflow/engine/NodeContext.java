package io.linkflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.expressions.ExpressionException;
import io.linkflow.expressions.Expressions;
import io.linkflow.nodes.Catalog;
import io.linkflow.nodes.NodeType;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What handlers get from the runtime: the {@link Expressions} instance, a clock, the output {@link
 * Limits}, and parameter resolution. One per process; thread-safe.
 */
public final class NodeContext {

  private final Expressions expressions;
  private final Clock clock;
  private final Limits limits;
  private final Catalog catalog;

  public NodeContext(Expressions expressions, Clock clock, Limits limits, Catalog catalog) {
    this.expressions = Objects.requireNonNull(expressions, "expressions");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  /** The built-in catalog, the system clock (UTC) and the default limits. */
  public static NodeContext defaults(Expressions expressions) {
    return new NodeContext(expressions, Clock.systemUTC(), Limits.defaults(), Catalog.builtIn());
  }

  public Expressions expressions() {
    return expressions;
  }

  public Clock clock() {
    return clock;
  }

  public Limits limits() {
    return limits;
  }

  public Catalog catalog() {
    return catalog;
  }

  /** The catalog definition of the run's type and version. */
  public NodeType nodeType(NodeRun run) {
    return catalog
        .nodeType(run.type(), run.typeVersion())
        .orElseThrow(
            () ->
                NodeException.of(
                    run, "unknown node type " + run.type() + " version " + run.typeVersion()));
  }

  /**
   * The run's parameters with the schema's defaults filled in (at every level: a condition without
   * {@code operator} gets {@code equals}) and every expression resolved with {@code $json} = {@code
   * item}.
   *
   * @throws NodeException naming the node, the parameter's pointer and the position in it
   */
  public ObjectNode parameters(NodeRun run, ObjectNode item) {
    ObjectNode filled = withDefaults(run);
    JsonNode resolved;
    try {
      resolved =
          expressions.resolve(
              filled,
              run.scope().withJson(item == null ? JsonNodeFactory.instance.objectNode() : item));
    } catch (ExpressionException e) {
      ExpressionException named = e.withNode(run.nodeId(), run.nodeName());
      throw new NodeException(
          run.nodeId(), run.nodeName(), named.getMessage(), false, e.parameter(), null, e);
    }
    return (ObjectNode) resolved;
  }

  /**
   * The parameters resolved once, with {@code $json} = the first {@code main} item or {@code {}}.
   */
  public ObjectNode parameters(NodeRun run) {
    return parameters(run, firstItem(run));
  }

  /** The first item of the run's first non-empty input, or an empty object. */
  public static ObjectNode firstItem(NodeRun run) {
    if (!run.main().isEmpty()) {
      return run.main().get(0);
    }
    for (Map.Entry<String, java.util.List<ObjectNode>> e : run.inputs().entrySet()) {
      if (!e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return JsonNodeFactory.instance.objectNode();
  }

  /** A copy of the saved parameters with the schema's defaults filled in; nothing resolved. */
  public ObjectNode withDefaults(NodeRun run) {
    ObjectNode copy = run.parameters().deepCopy();
    fill(copy, nodeType(run).parameters());
    return copy;
  }

  private static void fill(JsonNode value, JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      return;
    }
    if (value.isObject()) {
      JsonNode properties = schema.get("properties");
      if (properties != null && properties.isObject()) {
        ObjectNode object = (ObjectNode) value;
        for (Map.Entry<String, JsonNode> p : properties.properties()) {
          JsonNode present = object.get(p.getKey());
          if (present == null) {
            JsonNode def = p.getValue().get("default");
            if (def != null) {
              object.set(p.getKey(), def.deepCopy());
            }
          } else {
            fill(present, p.getValue());
          }
        }
      }
    } else if (value.isArray()) {
      JsonNode items = schema.get("items");
      for (JsonNode element : (ArrayNode) value) {
        fill(element, items);
      }
    }
  }
}
