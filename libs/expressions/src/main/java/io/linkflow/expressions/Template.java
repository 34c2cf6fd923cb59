package io.linkflow.expressions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;

/**
 * A parameter string split into literal text and {@code {{ … }}} expressions, each compiled. Get
 * one from {@link Expressions#template(String)}; immutable and safe to share between threads.
 *
 * <p>Typing rule: when the whole string is exactly one {@code {{ expr }}} (surrounding whitespace
 * ignored) the result keeps its JSON type — number, boolean, object, array, or JSON null for
 * JSONata's undefined and null. Otherwise the expressions are interpolated into the text: strings
 * as they are, undefined and null as the empty string, numbers, booleans, objects and arrays as
 * JSONata's {@code $string()} prints them (compact JSON).
 */
public final class Template {

  /** One {@code {{ … }}}: its text (trimmed) and where that text starts in the parameter. */
  record Part(String literal, String expression, int offset, Expressions.Compiled compiled) {
    boolean isExpression() {
      return expression != null;
    }
  }

  private final Expressions owner;
  private final String text;
  private final List<Part> parts;
  private final Part single;

  Template(Expressions owner, String text, List<Part> parts, boolean single) {
    this.owner = owner;
    this.text = text;
    this.parts = List.copyOf(parts);
    this.single = single ? this.parts.stream().filter(Part::isExpression).findFirst().get() : null;
  }

  /** The parameter string as written. */
  public String text() {
    return text;
  }

  /** True if the text has no {@code {{ … }}}; {@link #evaluate} then returns it unchanged. */
  public boolean isLiteral() {
    return parts.stream().noneMatch(Part::isExpression);
  }

  /** True if the text is one {@code {{ … }}} and nothing else, so the result keeps its type. */
  public boolean isSingleExpression() {
    return single != null;
  }

  /** The expressions' texts, trimmed, in order. */
  public List<String> expressions() {
    return parts.stream().filter(Part::isExpression).map(Part::expression).toList();
  }

  /**
   * Evaluates against a scope.
   *
   * @throws ExpressionException naming the position in this text (no parameter: see {@link
   *     Expressions#resolve})
   */
  public JsonNode evaluate(Scope scope) {
    if (single != null) {
      Object value = owner.run(single, scope);
      try {
        return Values.toJson(value);
      } catch (IllegalArgumentException e) {
        throw new ExpressionException(e.getMessage(), single.offset(), single.expression(), null);
      }
    }
    if (parts.size() == 1 && !parts.get(0).isExpression()) {
      return JsonNodeFactory.instance.textNode(text);
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (Part part : parts) {
      if (!part.isExpression()) {
        out.append(part.literal());
        continue;
      }
      Object value = owner.run(part, scope);
      try {
        out.append(Values.toText(value));
      } catch (IllegalArgumentException e) {
        throw new ExpressionException(e.getMessage(), part.offset(), part.expression(), null);
      }
    }
    return JsonNodeFactory.instance.textNode(out.toString());
  }

  @Override
  public String toString() {
    return text;
  }
}
