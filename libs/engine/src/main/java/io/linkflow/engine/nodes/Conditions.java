package io.linkflow.engine.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkflow.engine.Items;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeRun;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The condition list shared by IF, Filter and Switch rules: {@code [{left, operator, right}]} with
 * {@code and}/{@code or}, evaluated on parameters already resolved for one item.
 */
public final class Conditions {

  /** A regular expression match gives up after this long (catastrophic backtracking). */
  static final long REGEX_NANOS = 1_000_000_000L;

  private Conditions() {}

  /**
   * Whether the resolved conditions hold.
   *
   * @param pointer JSON Pointer of the conditions array, for errors ({@code /conditions})
   */
  public static boolean test(
      NodeRun run, JsonNode conditions, String combinator, boolean ignoreCase, String pointer) {
    if (conditions == null || !conditions.isArray() || conditions.isEmpty()) {
      throw NodeException.parameter(run, pointer, "at least one condition is required");
    }
    boolean any = "or".equals(combinator);
    for (int i = 0; i < conditions.size(); i++) {
      JsonNode c = conditions.get(i);
      boolean holds =
          test(
              run,
              c.get("left"),
              c.path("operator").asText("equals"),
              c.get("right"),
              ignoreCase,
              pointer + "/" + i);
      if (any && holds) {
        return true;
      }
      if (!any && !holds) {
        return false;
      }
    }
    return !any;
  }

  /** One condition. */
  public static boolean test(
      NodeRun run,
      JsonNode left,
      String operator,
      JsonNode right,
      boolean ignoreCase,
      String pointer) {
    return switch (operator) {
      case "equals" -> Items.looseEquals(left, right, ignoreCase);
      case "notEquals" -> !Items.looseEquals(left, right, ignoreCase);
      case "contains" -> contains(left, right, ignoreCase);
      case "notContains" -> !contains(left, right, ignoreCase);
      case "startsWith" ->
          !Items.isNull(left)
              && fold(Items.text(left), ignoreCase).startsWith(fold(Items.text(right), ignoreCase));
      case "endsWith" ->
          !Items.isNull(left)
              && fold(Items.text(left), ignoreCase).endsWith(fold(Items.text(right), ignoreCase));
      case "greaterThan" -> order(left, right, ignoreCase, c -> c > 0);
      case "greaterThanOrEqual" -> order(left, right, ignoreCase, c -> c >= 0);
      case "lessThan" -> order(left, right, ignoreCase, c -> c < 0);
      case "lessThanOrEqual" -> order(left, right, ignoreCase, c -> c <= 0);
      case "isEmpty" -> Items.isEmpty(left);
      case "isNotEmpty" -> !Items.isEmpty(left);
      case "exists" -> !Items.isNull(left);
      case "notExists" -> Items.isNull(left);
      case "matchesRegex" -> matches(run, left, right, ignoreCase, pointer);
      default ->
          throw NodeException.parameter(
              run, pointer + "/operator", "unknown operator \"" + operator + "\"");
    };
  }

  private static String fold(String s, boolean ignoreCase) {
    return ignoreCase ? s.toLowerCase(Locale.ROOT) : s;
  }

  private static boolean contains(JsonNode left, JsonNode right, boolean ignoreCase) {
    if (Items.isNull(left)) {
      return false;
    }
    if (left.isArray()) {
      for (JsonNode element : left) {
        if (Items.looseEquals(element, right, ignoreCase)) {
          return true;
        }
      }
      return false;
    }
    if (left.isObject()) {
      return left.has(Items.text(right));
    }
    return fold(Items.text(left), ignoreCase).contains(fold(Items.text(right), ignoreCase));
  }

  private static boolean order(
      JsonNode left, JsonNode right, boolean ignoreCase, java.util.function.IntPredicate holds) {
    Integer c = Items.compare(left, right, ignoreCase);
    return c != null && holds.test(Integer.signum(c));
  }

  private static boolean matches(
      NodeRun run, JsonNode left, JsonNode right, boolean ignoreCase, String pointer) {
    if (Items.isNull(left)) {
      return false;
    }
    Pattern pattern;
    try {
      pattern =
          Pattern.compile(
              Items.text(right), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    } catch (PatternSyntaxException e) {
      throw NodeException.parameter(
          run, pointer + "/right", "invalid regular expression: " + e.getDescription());
    }
    try {
      return pattern
          .matcher(new Deadline(Items.text(left), System.nanoTime() + REGEX_NANOS))
          .find();
    } catch (Deadline.Expired e) {
      throw NodeException.parameter(
          run, pointer + "/right", "regular expression took longer than 1000 ms");
    }
  }

  /** Text whose reads fail after a deadline, so a backtracking regular expression is bounded. */
  private record Deadline(CharSequence text, long deadline) implements CharSequence {

    static final class Expired extends RuntimeException {
      Expired() {
        super(null, null, false, false);
      }
    }

    @Override
    public char charAt(int index) {
      if (System.nanoTime() > deadline) {
        throw new Expired();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new Deadline(text.subSequence(start, end), deadline);
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
