package io.linkflow.expressions;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{ … }}} expressions in node parameters, evaluated with JSONata (com.dashjoin:jsonata).
 * One instance per process; thread-safe.
 *
 * <ul>
 *   <li>{@link #template(String)} parses a parameter string; each expression is compiled once and
 *       kept in a bounded LRU cache keyed by its text.
 *   <li>{@link Template#evaluate(Scope)} evaluates it (typing rule there).
 *   <li>{@link #resolve(JsonNode, Scope)} evaluates every string of a node's parameters.
 * </ul>
 *
 * <p>Sandbox: JSONata has no I/O; {@code $eval} is disabled (it would compile code at run time,
 * outside the cache and the bounds). Every evaluation is bounded in time and in evaluation depth
 * (nested JSONata evaluation steps; a recursive function uses about three per call), so a runaway
 * expression fails with an {@link ExpressionException} instead of blocking a worker. The time bound
 * is checked between evaluation steps: a single slow built-in (a pathological regular expression, a
 * huge range) is not interrupted.
 */
public final class Expressions {

  public static final int DEFAULT_CACHE_SIZE = 2_000;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
  public static final int DEFAULT_MAX_DEPTH = 500;

  /** Names bound by {@link Scope}: calling one of them is a mistake, not an unknown function. */
  private static final Set<String> BINDINGS =
      Set.of("json", "node", "vars", "execution", "workflow", "now");

  private static final Pattern CALL_AT_END = Pattern.compile("\\$(\\w+)\\s*\\(\\s*$");
  private static final Pattern CALL = Pattern.compile("\\$(\\w+)\\s*\\(");
  private static final Pattern CODE = Pattern.compile("[A-Z]\\d{4}");

  private static final Jsonata.JFunction NO_EVAL =
      Jsonata.function(
          "eval",
          (Jsonata.FnVarArgs<Object>)
              args -> {
                throw new JException("$eval is not available in workflow expressions", -1);
              },
          null);

  private final int cacheSize;
  private final long timeoutMillis;
  private final int maxDepth;
  private final Map<String, Compiled> cache;
  private final AtomicLong compilations = new AtomicLong();

  /** Cache of {@value #DEFAULT_CACHE_SIZE} expressions, 1 s, depth {@value #DEFAULT_MAX_DEPTH}. */
  public Expressions() {
    this(DEFAULT_CACHE_SIZE, DEFAULT_TIMEOUT, DEFAULT_MAX_DEPTH);
  }

  /**
   * @param cacheSize compiled expressions kept (least recently used evicted first)
   * @param timeout longest time one expression may evaluate
   * @param maxDepth deepest evaluation nesting; keep it well under what the thread stack holds
   *     (about 1500 with a 1 MiB stack)
   */
  public Expressions(int cacheSize, Duration timeout, int maxDepth) {
    if (cacheSize < 1 || maxDepth < 1 || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("cacheSize, timeout and maxDepth must be positive");
    }
    this.cacheSize = cacheSize;
    this.timeoutMillis = Math.max(1, timeout.toMillis());
    this.maxDepth = maxDepth;
    this.cache =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
            return size() > Expressions.this.cacheSize;
          }
        };
  }

  /** Whether a parameter string contains {@code {{} and so needs evaluating. */
  public static boolean containsExpression(String text) {
    return text != null && text.contains("{{");
  }

  /**
   * Parses a parameter string and compiles its expressions (from the cache when seen before).
   *
   * @throws ExpressionException for an unclosed {@code {{}, an empty or unterminated expression, or
   *     a JSONata syntax error, with its position in {@code text}
   */
  public Template template(String text) {
    Objects.requireNonNull(text, "text");
    List<Template.Part> parts = new ArrayList<>();
    int literalStart = 0;
    int expressionCount = 0;
    boolean onlyWhitespaceLiterals = true;
    int open = text.indexOf("{{");
    while (open >= 0) {
      int close;
      try {
        close = Lexer.findClose(text, open + 2);
      } catch (Lexer.LexError e) {
        throw new ExpressionException(
            e.getMessage() + " inside {{ … }}", e.position, text.substring(open + 2), null);
      }
      if (close < 0) {
        throw new ExpressionException("unclosed {{ (no matching }})", open, "", null);
      }
      String literal = text.substring(literalStart, open);
      onlyWhitespaceLiterals &= literal.isBlank();
      if (!literal.isEmpty()) {
        parts.add(new Template.Part(literal, null, open, null));
      }
      String raw = text.substring(open + 2, close);
      String expression = raw.strip();
      if (expression.isEmpty()) {
        throw new ExpressionException("empty expression {{ }}", open, "", null);
      }
      int offset = open + 2 + raw.indexOf(expression.charAt(0));
      Compiled compiled = compile(expression);
      if (compiled.error != null) {
        int at = compiled.errorPosition < 0 ? offset : offset + compiled.errorPosition;
        throw new ExpressionException(compiled.error, at, expression, compiled.cause);
      }
      parts.add(new Template.Part(null, expression, offset, compiled));
      expressionCount++;
      literalStart = close + 2;
      open = text.indexOf("{{", literalStart);
    }
    String tail = text.substring(literalStart);
    onlyWhitespaceLiterals &= tail.isBlank();
    if (!tail.isEmpty()) {
      parts.add(new Template.Part(tail, null, literalStart, null));
    }
    return new Template(this, text, parts, expressionCount == 1 && onlyWhitespaceLiterals);
  }

  /** {@code template(text).evaluate(scope)}. */
  public JsonNode evaluate(String text, Scope scope) {
    return template(text).evaluate(scope);
  }

  /**
   * A deep copy of a node's parameters with every string that contains {@code {{} replaced by its
   * value (typing rule in {@link Template}). Object keys are not evaluated.
   *
   * @throws ExpressionException whose {@link ExpressionException#parameter()} is the JSON Pointer of
   *     the string, e.g. {@code /headers/Authorization}
   */
  public JsonNode resolve(JsonNode parameters, Scope scope) {
    Objects.requireNonNull(scope, "scope");
    if (parameters == null) {
      return JsonNodeFactory.instance.nullNode();
    }
    return resolve(parameters, scope, new StringBuilder());
  }

  private JsonNode resolve(JsonNode node, Scope scope, StringBuilder pointer) {
    if (node.isTextual()) {
      String text = node.textValue();
      if (!containsExpression(text)) {
        return node;
      }
      try {
        return template(text).evaluate(scope);
      } catch (ExpressionException e) {
        throw e.withParameter(pointer.isEmpty() ? "/" : pointer.toString());
      }
    }
    int mark = pointer.length();
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        pointer.append('/').append(e.getKey().replace("~", "~0").replace("/", "~1"));
        copy.set(e.getKey(), resolve(e.getValue(), scope, pointer));
        pointer.setLength(mark);
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
      for (int i = 0; i < node.size(); i++) {
        pointer.append('/').append(i);
        copy.add(resolve(node.get(i), scope, pointer));
        pointer.setLength(mark);
      }
      return copy;
    }
    return node.deepCopy();
  }

  /** Compiled expressions in the cache now. */
  public int cacheSize() {
    synchronized (cache) {
      return cache.size();
    }
  }

  /** Expressions compiled since start (cache misses). */
  public long compilations() {
    return compilations.get();
  }

  // --- compiling ---

  /** A compiled expression, or why it does not compile (errors are cached too). */
  static final class Compiled {
    final Jsonata jsonata;
    final String error;
    final int errorPosition; // relative to the expression text; -1 if unknown
    final Throwable cause;

    private Compiled(Jsonata jsonata, String error, int errorPosition, Throwable cause) {
      this.jsonata = jsonata;
      this.error = error;
      this.errorPosition = errorPosition;
      this.cause = cause;
    }
  }

  private Compiled compile(String expression) {
    synchronized (cache) {
      Compiled hit = cache.get(expression);
      if (hit != null) {
        return hit;
      }
    }
    Compiled compiled = doCompile(expression);
    compilations.incrementAndGet();
    synchronized (cache) {
      Compiled raced = cache.putIfAbsent(expression, compiled);
      return raced != null ? raced : compiled;
    }
  }

  private Compiled doCompile(String expression) {
    String source;
    try {
      source = Lexer.rewriteMemberAccess(expression);
    } catch (Lexer.LexError e) {
      return new Compiled(null, e.getMessage(), e.position, null);
    }
    try {
      Jsonata jsonata = Jsonata.jsonata(source);
      jsonata.setValidateInput(false); // inputs come from Values.toJsonata
      return new Compiled(jsonata, null, -1, null);
    } catch (JException e) {
      return new Compiled(null, describe(e, expression), position(e, expression), e);
    } catch (RuntimeException e) {
      return new Compiled(null, "cannot compile: " + e.getMessage(), -1, e);
    } finally {
      // com.dashjoin:jsonata 0.9.8 keeps a per-thread evaluator in a static ThreadLocal that the
      // constructor sets to the instance just built, and that evaluator's mutable environment
      // would then be this cached instance's (dashjoin/jsonata-java#93): a later evaluation on
      // any thread would start from frames left by an earlier one. Building a throwaway instance
      // makes it the thread's evaluator instead, so cached instances are never mutated.
      Jsonata.jsonata("$");
    }
  }

  // --- evaluating ---

  Object run(Template.Part part, Scope scope) {
    Jsonata jsonata = part.compiled().jsonata;
    Scope.Shared shared = scope.shared();
    Object input = scope.jsonValue();
    Jsonata.Frame frame = jsonata.createFrame();
    frame.setRuntimeBounds(timeoutMillis, maxDepth);
    frame.bind("json", input);
    frame.bind("node", shared.nodeValue);
    frame.bind("vars", shared.varsValue);
    frame.bind("execution", shared.executionValue);
    frame.bind("workflow", shared.workflowValue);
    frame.bind("now", shared.nowValue);
    long millis = shared.nowMillis;
    frame.bind("millis", (Jsonata.Fn0<Long>) () -> millis);
    frame.bind("eval", NO_EVAL);
    try {
      return jsonata.evaluate(input, frame);
    } catch (JException e) {
      int at = position(e, part.expression());
      throw new ExpressionException(
          describe(e, part.expression()),
          at < 0 ? part.offset() : part.offset() + at,
          part.expression(),
          e);
    } catch (StackOverflowError e) {
      throw new ExpressionException(
          "expression recursion too deep for the thread stack",
          part.offset(),
          part.expression(),
          null);
    } catch (RuntimeException e) {
      throw new ExpressionException("evaluation failed: " + e, part.offset(), part.expression(), e);
    }
  }

  private String describe(JException e, String expression) {
    String code = e.getError() == null ? "" : e.getError();
    if (code.startsWith("Expression evaluation timeout")) {
      return "expression took longer than " + timeoutMillis + " ms";
    }
    if (code.startsWith("Stack overflow error")) {
      return "expression recursion deeper than "
          + maxDepth
          + " evaluation steps (a non-terminating recursive function?)";
    }
    if (code.equals("T1006")) {
      String name = calledName(e, expression);
      if (name == null) {
        return "attempted to call something that is not a function (T1006)";
      }
      if (name.equals("now")) {
        return "$now is a string, not a function: write $now (or $millis() for epoch ms)";
      }
      if (BINDINGS.contains(name)) {
        return "$" + name + " is a value, not a function";
      }
      return "unknown function $" + name;
    }
    String message = e.getMessage() == null ? code : e.getMessage();
    if (message.startsWith("JSonataException ")) {
      message = message.substring("JSonataException ".length());
    }
    return CODE.matcher(code).matches() ? message + " (" + code + ")" : message;
  }

  /** Offset in the expression text that the error points at; -1 if JSONata did not say. */
  private static int position(JException e, String expression) {
    String code = e.getError() == null ? "" : e.getError();
    if (code.startsWith("Expression evaluation timeout") || code.startsWith("Stack overflow")) {
      return -1; // where it happened to be when the bound hit: not useful to an author
    }
    if (code.equals("T1006")) {
      int at = callStart(e, expression);
      if (at >= 0) {
        return at;
      }
    }
    int location = e.getLocation();
    return location < 0 ? -1 : Math.min(location, expression.length());
  }

  private static String calledName(JException e, String expression) {
    Matcher m = callMatcher(e, expression);
    return m == null ? null : m.group(1);
  }

  private static int callStart(JException e, String expression) {
    Matcher m = callMatcher(e, expression);
    return m == null ? -1 : m.start();
  }

  /**
   * The call JSONata complained about: the {@code $name(} that ends at its location, else the first
   * call of a scope binding (JSONata reports those at another offset).
   */
  private static Matcher callMatcher(JException e, String expression) {
    int location = e.getLocation();
    if (location > 0 && location <= expression.length()) {
      Matcher m = CALL_AT_END.matcher(expression.substring(0, location));
      if (m.find()) {
        return m;
      }
    }
    Matcher m = CALL.matcher(expression);
    while (m.find()) {
      if (BINDINGS.contains(m.group(1))) {
        return m;
      }
    }
    return null;
  }
}
