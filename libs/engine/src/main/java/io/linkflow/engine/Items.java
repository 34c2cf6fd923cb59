package io.linkflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;

/** Item helpers: dotted field paths and type-aware comparison of JSON values. */
public final class Items {

  private Items() {}

  /**
   * The value at a dotted path ({@code address.city}); a key that itself contains the dots wins.
   * Null if absent.
   */
  public static JsonNode get(JsonNode item, String path) {
    if (item == null || path == null) {
      return null;
    }
    if (item.isObject() && item.has(path)) {
      return item.get(path);
    }
    JsonNode node = item;
    for (String part : path.split("\\.", -1)) {
      if (node == null) {
        return null;
      }
      if (node.isObject()) {
        node = node.get(part);
      } else if (node.isArray() && part.matches("\\d{1,9}")) {
        node = node.get(Integer.parseInt(part));
      } else {
        return null;
      }
    }
    return node;
  }

  /** Sets the value at a dotted path, creating (or replacing non-object) intermediate objects. */
  public static void set(ObjectNode item, String path, JsonNode value) {
    String[] parts = path.split("\\.", -1);
    ObjectNode node = item;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode next = node.get(parts[i]);
      if (next == null || !next.isObject()) {
        next = node.putObject(parts[i]);
      }
      node = (ObjectNode) next;
    }
    node.set(parts[parts.length - 1], value == null ? JsonNodeFactory.instance.nullNode() : value);
  }

  /** Removes the value at a dotted path (or the key with the dots); nothing if absent. */
  public static void remove(ObjectNode item, String path) {
    if (item.has(path)) {
      item.remove(path);
      return;
    }
    int dot = path.lastIndexOf('.');
    if (dot < 0) {
      return;
    }
    JsonNode parent = get(item, path.substring(0, dot));
    if (parent != null && parent.isObject()) {
      ((ObjectNode) parent).remove(path.substring(dot + 1));
    }
  }

  /** Null or JSON null. */
  public static boolean isNull(JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode();
  }

  /** Null, {@code ""}, {@code []} or <code>{}</code>. */
  public static boolean isEmpty(JsonNode v) {
    return isNull(v)
        || (v.isTextual() && v.textValue().isEmpty())
        || (v.isContainerNode() && v.isEmpty());
  }

  /** The value as text: strings as they are, null as "", anything else as compact JSON. */
  public static String text(JsonNode v) {
    if (isNull(v)) {
      return "";
    }
    return v.isTextual() ? v.textValue() : v.toString();
  }

  /** A number, or a string that is one ({@code " 12.5 "}); else null. */
  public static BigDecimal number(JsonNode v) {
    if (v == null) {
      return null;
    }
    if (v.isNumber()) {
      return v.decimalValue();
    }
    if (v.isTextual()) {
      String s = v.textValue().strip();
      if (!s.isEmpty() && s.length() < 100) {
        try {
          return new BigDecimal(s);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** An ISO-8601 date-time with offset ({@code 2024-05-01T12:00:00Z}); else null. */
  public static OffsetDateTime dateTime(JsonNode v) {
    if (v == null || !v.isTextual() || v.textValue().length() < 20) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v.textValue().strip());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * Loose equality as authors expect it: numbers by value (also a number against a numeric string:
   * {@code 5 = "5"}), booleans against {@code "true"}/{@code "false"}, strings (optionally ignoring
   * case), objects and arrays deeply; null equals only null.
   */
  public static boolean looseEquals(JsonNode a, JsonNode b, boolean ignoreCase) {
    if (isNull(a) || isNull(b)) {
      return isNull(a) && isNull(b);
    }
    if (a.isNumber() || b.isNumber()) {
      BigDecimal x = number(a);
      BigDecimal y = number(b);
      return x != null && y != null && x.compareTo(y) == 0;
    }
    if (a.isBoolean() || b.isBoolean()) {
      return text(a).equalsIgnoreCase(text(b));
    }
    if (a.isTextual() && b.isTextual()) {
      return ignoreCase
          ? a.textValue().equalsIgnoreCase(b.textValue())
          : a.textValue().equals(b.textValue());
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!b.has(e.getKey()) || !looseEquals(e.getValue(), b.get(e.getKey()), ignoreCase)) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!looseEquals(a.get(i), b.get(i), ignoreCase)) {
          return false;
        }
      }
      return true;
    }
    return text(a).equals(text(b));
  }

  /**
   * Type-aware order of two non-null values, or null if they cannot be ordered: numbers (and
   * numeric strings) by value, ISO-8601 date-times by instant, booleans false before true, other
   * strings lexicographically (optionally ignoring case).
   */
  public static Integer compare(JsonNode a, JsonNode b, boolean ignoreCase) {
    if (isNull(a) || isNull(b)) {
      return null;
    }
    BigDecimal x = number(a);
    BigDecimal y = number(b);
    if (x != null && y != null) {
      return x.compareTo(y);
    }
    OffsetDateTime d = dateTime(a);
    OffsetDateTime e = dateTime(b);
    if (d != null && e != null) {
      return d.toInstant().compareTo(e.toInstant());
    }
    if (a.isBoolean() && b.isBoolean()) {
      return Boolean.compare(a.booleanValue(), b.booleanValue());
    }
    if (a.isTextual() && b.isTextual()) {
      return ignoreCase
          ? a.textValue().compareToIgnoreCase(b.textValue())
          : a.textValue().compareTo(b.textValue());
    }
    return null;
  }
}
