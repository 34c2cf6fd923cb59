package io.linkflow.engine.nodes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.linkflow.engine.Items;
import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeHandler;
import io.linkflow.engine.NodeResult;
import io.linkflow.engine.NodeRun;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Edit Fields (Set), per item with the parameters resolved for that item:
 *
 * <ul>
 *   <li>{@code manual}: each of {@code fields} is written at its dotted name ({@code a.b} creates
 *       or replaces the nested object {@code a}) with its value converted to {@code type}: {@code
 *       string} (objects/arrays as compact JSON, null as ""), {@code number} (a number or a numeric
 *       string), {@code boolean} (a boolean, "true"/"false" in any case, 1/0), {@code object} /
 *       {@code array} (the value, or a string holding JSON). A value that does not convert fails
 *       the node naming the field. Null stays null.
 *   <li>{@code json}: {@code json} must give a JSON object (an expression giving an object, or a
 *       string holding one, e.g. <code>{"total": {{ $json.a + $json.b }}}</code>); its top-level
 *       keys are written into the item (shallow merge; a key with dots is not split).
 * </ul>
 *
 * Then the dotted names in {@code remove} are removed. With {@code keepOnlySet} the output has only
 * the fields set here (and {@code remove} applies to them). Fields are applied in order, so a later
 * field overwrites an earlier one.
 */
public final class SetHandler implements NodeHandler {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String type() {
    return "linkflow.set";
  }

  @Override
  public NodeResult run(NodeRun run, NodeContext context) {
    List<ObjectNode> out = new ArrayList<>(run.main().size());
    for (ObjectNode item : run.main()) {
      ObjectNode p = context.parameters(run, item);
      ObjectNode result =
          p.path("keepOnlySet").asBoolean(false)
              ? JsonNodeFactory.instance.objectNode()
              : item.deepCopy();
      if ("json".equals(p.path("mode").asText("manual"))) {
        ObjectNode json = jsonObject(run, p.get("json"));
        json.properties().forEach(e -> result.set(e.getKey(), e.getValue()));
      } else {
        JsonNode fields = p.path("fields");
        for (int i = 0; i < fields.size(); i++) {
          JsonNode field = fields.get(i);
          String name = field.path("name").asText("");
          if (name.isEmpty()) {
            throw NodeException.parameter(
                run, "/fields/" + i + "/name", "a field name is required");
          }
          Items.set(
              result,
              name,
              convert(run, field.get("value"), field.path("type").asText("string"), name, i));
        }
      }
      for (JsonNode name : p.path("remove")) {
        Items.remove(result, name.asText());
      }
      out.add(result);
    }
    return NodeResult.main(out);
  }

  private static ObjectNode jsonObject(NodeRun run, JsonNode value) {
    JsonNode json = value;
    if (json != null && json.isTextual()) {
      try {
        json = JSON.readTree(json.textValue());
      } catch (JsonProcessingException e) {
        throw NodeException.parameter(run, "/json", "not valid JSON: " + e.getOriginalMessage());
      }
    }
    if (json == null || !json.isObject()) {
      throw NodeException.parameter(run, "/json", "must be a JSON object");
    }
    return (ObjectNode) json;
  }

  private static JsonNode convert(NodeRun run, JsonNode value, String type, String name, int i) {
    if (Items.isNull(value)) {
      return "string".equals(type) ? TextNode.valueOf("") : JsonNodeFactory.instance.nullNode();
    }
    String pointer = "/fields/" + i + "/value";
    switch (type) {
      case "string":
        return value.isTextual() ? value : TextNode.valueOf(Items.text(value));
      case "number":
        {
          if (value.isNumber()) {
            return value;
          }
          BigDecimal n = Items.number(value);
          if (n == null || !value.isTextual()) {
            throw fail(run, pointer, name, value, "a number");
          }
          return number(n);
        }
      case "boolean":
        {
          if (value.isBoolean()) {
            return value;
          }
          String s = Items.text(value).strip().toLowerCase(Locale.ROOT);
          return switch (s) {
            case "true", "1" -> BooleanNode.TRUE;
            case "false", "0" -> BooleanNode.FALSE;
            default -> throw fail(run, pointer, name, value, "a boolean");
          };
        }
      case "object":
      case "array":
        {
          JsonNode json = value;
          if (value.isTextual()) {
            try {
              json = JSON.readTree(value.textValue());
            } catch (JsonProcessingException e) {
              json = null;
            }
          }
          boolean ok = json != null && ("object".equals(type) ? json.isObject() : json.isArray());
          if (!ok) {
            throw fail(run, pointer, name, value, "object".equals(type) ? "an object" : "an array");
          }
          return json;
        }
      default:
        throw NodeException.parameter(
            run, "/fields/" + i + "/type", "unknown type \"" + type + "\"");
    }
  }

  private static JsonNode number(BigDecimal n) {
    BigDecimal s = n.stripTrailingZeros();
    if (s.scale() <= 0 && s.precision() - s.scale() <= 18) {
      long l = s.longValueExact();
      return l == (int) l
          ? JsonNodeFactory.instance.numberNode((int) l)
          : JsonNodeFactory.instance.numberNode(l);
    }
    double d = n.doubleValue();
    return Double.isFinite(d) && BigDecimal.valueOf(d).compareTo(n) == 0
        ? JsonNodeFactory.instance.numberNode(d)
        : DecimalNode.valueOf(n);
  }

  private static NodeException fail(
      NodeRun run, String pointer, String name, JsonNode value, String what) {
    String shown = Items.text(value);
    if (shown.length() > 60) {
      shown = shown.substring(0, 57) + "...";
    }
    return NodeException.parameter(
        run, pointer, "field \"" + name + "\": \"" + shown + "\" is not " + what);
  }
}
