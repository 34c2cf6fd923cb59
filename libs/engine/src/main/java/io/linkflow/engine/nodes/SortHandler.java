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
import java.util.Comparator;
import java.util.List;

/**
 * Sort: all items by {@code fields} (dotted paths), the first field first; ties keep their input
 * order (stable). Values compare by type: numbers (and numeric strings) by value, ISO-8601
 * date-times by instant, booleans false first, strings by code point; values of different kinds
 * order numbers, then date-times, then strings, then booleans, then objects and arrays; missing and
 * null values come last in both orders.
 */
public final class SortHandler implements NodeHandler {

  @Override
  public String type() {
    return "linkflow.sort";
  }

  @Override
  public NodeResult run(NodeRun run, NodeContext context) {
    ObjectNode p = context.parameters(run);
    JsonNode fields = p.path("fields");
    if (!fields.isArray() || fields.isEmpty()) {
      throw NodeException.parameter(run, "/fields", "at least one field is required");
    }
    Comparator<ObjectNode> order = (a, b) -> 0;
    for (int i = 0; i < fields.size(); i++) {
      String field = fields.get(i).path("field").asText("");
      if (field.isEmpty()) {
        throw NodeException.parameter(run, "/fields/" + i + "/field", "a field name is required");
      }
      boolean descending = "descending".equals(fields.get(i).path("order").asText());
      order =
          order.thenComparing(
              (a, b) -> compare(Items.get(a, field), Items.get(b, field), descending));
    }
    List<ObjectNode> items = new ArrayList<>(run.main());
    items.sort(order);
    return NodeResult.main(items);
  }

  static int compare(JsonNode a, JsonNode b, boolean descending) {
    boolean na = Items.isNull(a);
    boolean nb = Items.isNull(b);
    if (na || nb) {
      return Boolean.compare(na, nb); // nulls last, whatever the order
    }
    int c;
    int ka = kind(a);
    int kb = kind(b);
    if (ka != kb) {
      c = Integer.compare(ka, kb);
    } else {
      Integer typed = Items.compare(a, b, false);
      c = typed != null ? typed : a.toString().compareTo(b.toString());
    }
    return descending ? -c : c;
  }

  private static int kind(JsonNode v) {
    if (Items.number(v) != null) {
      return 0;
    }
    if (Items.dateTime(v) != null) {
      return 1;
    }
    if (v.isTextual()) {
      return 2;
    }
    if (v.isBoolean()) {
      return 3;
    }
    return 4;
  }
}
