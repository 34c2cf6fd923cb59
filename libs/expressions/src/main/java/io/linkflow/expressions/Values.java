package io.linkflow.expressions;

import com.dashjoin.jsonata.Functions;
import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Utils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Between Jackson and the values JSONata works on (Map, List, String, Number, Boolean, {@link
 * Jsonata#NULL_VALUE}). Inputs are wrapped read-only: one converted item is shared by every
 * evaluation against the same {@link Scope}, so an expression must never be able to change it.
 */
final class Values {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final double MAX_EXACT = 9007199254740992d; // 2^53

  private Values() {}

  /** Jackson → JSONata input. JSON numbers become Integer, Long or Double (JSONata's numbers). */
  static Object toJsonata(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return null;
    }
    switch (node.getNodeType()) {
      case OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>(Math.max(4, node.size() * 2));
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          map.put(e.getKey(), toJsonata(e.getValue()));
        }
        return Collections.unmodifiableMap(map);
      }
      case ARRAY -> {
        List<Object> list = new ArrayList<>(node.size());
        for (JsonNode element : node) {
          list.add(toJsonata(element));
        }
        return Collections.unmodifiableList(list);
      }
      case STRING -> {
        return node.textValue();
      }
      case NUMBER -> {
        if (node.isInt()) {
          return node.intValue();
        }
        if (node.isLong()) {
          return node.longValue();
        }
        return node.doubleValue(); // BigInteger, BigDecimal, float: JSONata numbers are doubles
      }
      case BOOLEAN -> {
        return node.booleanValue();
      }
      case NULL -> {
        return Jsonata.NULL_VALUE;
      }
      case BINARY -> {
        return node.asText(); // base64
      }
      default -> {
        return node.asText();
      }
    }
  }

  /**
   * JSONata result → Jackson. {@code null} (JSONata's undefined, or null) becomes JSON null;
   * integral doubles become integers so {@code 6 / 2} is {@code 3}, not {@code 3.0}.
   *
   * @throws IllegalArgumentException for a function value or a non-finite number
   */
  static JsonNode toJson(Object value) {
    if (value == null || value == Jsonata.NULL_VALUE) {
      return NODES.nullNode();
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return NODES.numberNode(((Number) value).intValue());
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (value instanceof BigInteger bi) {
      return NODES.numberNode(bi);
    }
    if (value instanceof BigDecimal bd) {
      return NODES.numberNode(bd);
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("the result is not a finite number");
      }
      if (d == Math.rint(d) && Math.abs(d) <= MAX_EXACT) {
        long l = (long) d;
        return l == (int) l ? NODES.numberNode((int) l) : NODES.numberNode(l);
      }
      return NODES.numberNode(d);
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!Utils.isFunction(e.getValue())) {
          object.set(String.valueOf(e.getKey()), toJson(e.getValue()));
        }
      }
      return object;
    }
    if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode(list.size());
      for (Object element : list) {
        array.add(toJson(element));
      }
      return array;
    }
    if (Utils.isFunction(value)) {
      throw new IllegalArgumentException(
          "the result is a function, not a value (call it with its arguments)");
    }
    return NODES.textNode(value.toString());
  }

  /**
   * JSONata result → text for string interpolation: strings as they are, undefined and null as the
   * empty string, everything else as JSONata's {@code $string()} prints it (numbers with 15
   * significant digits, objects and arrays as compact JSON).
   */
  static String toText(Object value) {
    if (value == null || value == Jsonata.NULL_VALUE) {
      return "";
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("the result is not a finite number");
      }
    }
    if (Utils.isFunction(value)) {
      throw new IllegalArgumentException(
          "the result is a function, not a value (call it with its arguments)");
    }
    return Functions.string(value, false);
  }
}
