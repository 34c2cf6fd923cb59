package io.linkflow.engine.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.Items;
import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeHandler;
import io.linkflow.engine.NodeResult;
import io.linkflow.engine.NodeRun;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Switch: routes each item to output {@code 0}–{@code 3}. In {@code rules} mode, to the output of
 * the first matching rule (every matching rule with {@code allMatchingOutputs}, each output at most
 * once); in {@code expression} mode, to the number {@code expression} gives (an integer or a
 * numeric string). Items no rule matches, and items whose expression gives null, go to {@code
 * fallbackOutput}, or are dropped when it is null. An expression giving anything else than 0–3
 * fails the node.
 */
public final class SwitchHandler implements NodeHandler {

  static final int OUTPUTS = 4;

  @Override
  public String type() {
    return "linkflow.switch";
  }

  @Override
  public NodeResult run(NodeRun run, NodeContext context) {
    List<List<ObjectNode>> outputs = new ArrayList<>();
    for (int i = 0; i < OUTPUTS; i++) {
      outputs.add(new ArrayList<>());
    }
    for (ObjectNode item : run.main()) {
      ObjectNode p = context.parameters(run, item);
      boolean[] to = new boolean[OUTPUTS];
      boolean matched =
          "expression".equals(p.path("mode").asText("rules"))
              ? byExpression(run, p.get("expression"), to)
              : byRules(run, p, to);
      if (!matched) {
        JsonNode fallback = p.get("fallbackOutput");
        if (Items.isNull(fallback)) {
          continue;
        }
        to[output(run, fallback, "/fallbackOutput")] = true;
      }
      for (int i = 0; i < OUTPUTS; i++) {
        if (to[i]) {
          outputs.get(i).add(item);
        }
      }
    }
    Map<String, List<ObjectNode>> result = new LinkedHashMap<>();
    for (int i = 0; i < OUTPUTS; i++) {
      if (!outputs.get(i).isEmpty()) {
        result.put(String.valueOf(i), outputs.get(i));
      }
    }
    return new NodeResult(result, null);
  }

  private static boolean byExpression(NodeRun run, JsonNode value, boolean[] to) {
    if (Items.isNull(value) || (value.isTextual() && value.textValue().isBlank())) {
      return false;
    }
    to[output(run, value, "/expression")] = true;
    return true;
  }

  private static boolean byRules(NodeRun run, ObjectNode p, boolean[] to) {
    JsonNode rules = p.path("rules");
    boolean all = p.path("allMatchingOutputs").asBoolean(false);
    boolean matched = false;
    for (int i = 0; i < rules.size(); i++) {
      JsonNode rule = rules.get(i);
      String pointer = "/rules/" + i;
      if (Conditions.test(
          run,
          rule.get("conditions"),
          rule.path("combinator").asText("and"),
          false,
          pointer + "/conditions")) {
        to[output(run, rule.get("output"), pointer + "/output")] = true;
        matched = true;
        if (!all) {
          break;
        }
      }
    }
    return matched;
  }

  private static int output(NodeRun run, JsonNode value, String pointer) {
    BigDecimal n = Items.number(value);
    if (n == null || n.signum() < 0 || n.compareTo(BigDecimal.valueOf(OUTPUTS - 1)) > 0) {
      throw NodeException.parameter(
          run, pointer, Items.text(value) + " is not an output number (0 to 3)");
    }
    try {
      return n.intValueExact();
    } catch (ArithmeticException e) {
      throw NodeException.parameter(
          run, pointer, Items.text(value) + " is not an output number (0 to 3)");
    }
  }
}
