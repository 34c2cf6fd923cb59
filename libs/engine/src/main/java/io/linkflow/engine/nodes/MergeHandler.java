package io.linkflow.engine.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.Items;
import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeHandler;
import io.linkflow.engine.NodeResult;
import io.linkflow.engine.NodeRun;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Merge of {@code input1} and {@code input2} (the engine runs it once, with both inputs; see the
 * README for what it must guarantee):
 *
 * <ul>
 *   <li>{@code append}: the items of input 1, then those of input 2;
 *   <li>{@code combineByField}: pairs items whose {@code field1} (input 1, dotted) equals {@code
 *       field2} (input 2) by the loose equality of conditions ({@code 5} matches {@code "5"}); each
 *       pair becomes one item with the fields of both, input 2 winning on clashes; every match
 *       pairs (one input-1 item matching two input-2 items gives two items). {@code join} {@code
 *       inner} outputs pairs only, {@code left} also the unmatched items of input 1, {@code outer}
 *       also those of input 2 (after the rest). Items with a null/missing key never match;
 *   <li>{@code combineByPosition}: the i-th items of both inputs merged as above; {@code join}
 *       decides about the unpaired tail in the same way (inner drops it);
 *   <li>{@code chooseBranch}: the items of {@code branch}.
 * </ul>
 */
public final class MergeHandler implements NodeHandler {

  @Override
  public String type() {
    return "linkflow.merge";
  }

  @Override
  public NodeResult run(NodeRun run, NodeContext context) {
    ObjectNode p = context.parameters(run);
    List<ObjectNode> one = run.input("input1");
    List<ObjectNode> two = run.input("input2");
    String join = p.path("join").asText("inner");
    List<ObjectNode> out = new ArrayList<>();
    switch (p.path("mode").asText("append")) {
      case "append" -> {
        out.addAll(one);
        out.addAll(two);
      }
      case "chooseBranch" -> out.addAll("input2".equals(p.path("branch").asText()) ? two : one);
      case "combineByPosition" -> {
        int pairs = Math.min(one.size(), two.size());
        for (int i = 0; i < pairs; i++) {
          out.add(merge(one.get(i), two.get(i)));
        }
        if (!"inner".equals(join)) {
          out.addAll(one.subList(pairs, one.size()));
        }
        if ("outer".equals(join)) {
          out.addAll(two.subList(pairs, two.size()));
        }
      }
      case "combineByField" -> {
        String field1 = required(run, p, "field1");
        String field2 = required(run, p, "field2");
        BitSet matched2 = new BitSet(two.size());
        for (ObjectNode a : one) {
          JsonNode key = Items.get(a, field1);
          boolean matched = false;
          if (!Items.isNull(key)) {
            for (int j = 0; j < two.size(); j++) {
              if (Items.looseEquals(key, Items.get(two.get(j), field2), false)) {
                out.add(merge(a, two.get(j)));
                matched2.set(j);
                matched = true;
              }
            }
          }
          if (!matched && !"inner".equals(join)) {
            out.add(a);
          }
        }
        if ("outer".equals(join)) {
          for (int j = 0; j < two.size(); j++) {
            if (!matched2.get(j)) {
              out.add(two.get(j));
            }
          }
        }
      }
      default ->
          throw NodeException.parameter(
              run, "/mode", "unknown mode \"" + p.path("mode").asText() + "\"");
    }
    return NodeResult.main(out);
  }

  private static String required(NodeRun run, ObjectNode p, String name) {
    String value = p.path(name).asText("");
    if (value.isEmpty()) {
      throw NodeException.parameter(run, "/" + name, "required with combineByField");
    }
    return value;
  }

  private static ObjectNode merge(ObjectNode a, ObjectNode b) {
    ObjectNode m = a.deepCopy();
    b.properties().forEach(e -> m.set(e.getKey(), e.getValue().deepCopy()));
    return m;
  }
}
