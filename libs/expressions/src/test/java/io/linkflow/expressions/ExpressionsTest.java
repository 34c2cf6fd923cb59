package io.linkflow.expressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ExpressionsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2024-05-01T12:30:00Z");

  // A generous time bound for ordinary tests (the build machine may be busy); the bounds tests
  // use their own instance.
  private final Expressions expressions = new Expressions(100, Duration.ofSeconds(10), 500);
  private final Expressions bounded = new Expressions(100, Duration.ofMillis(200), 500);

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Scope scope(String item) {
    return Scope.builder()
        .json(json(item))
        .node("Set Fields", List.of(json("{'x': 42, 'name': 'first'}"), json("{'x': 7}")))
        .node("Empty", List.of())
        .var("API_URL", "https://api.example.com")
        .execution("ex-1", "manual")
        .workflow("wf-1", "Invoice sync", "v-3")
        .now(NOW)
        .build();
  }

  private JsonNode eval(String text, String item) {
    return expressions.template(text).evaluate(scope(item));
  }

  private JsonNode eval(String text) {
    return eval(text, "{'amount': 10, 'a': {'b': 'deep'}, 'tags': ['x', 'y'], 'n': null}");
  }

  // --- templates and typing ---

  @Test
  void textWithoutExpressionsIsReturnedUnchanged() {
    Template template = expressions.template("https://example.com/{ not } an expression");
    assertThat(template.isLiteral()).isTrue();
    assertThat(template.evaluate(scope("{}")).textValue())
        .isEqualTo("https://example.com/{ not } an expression");
    assertThat(Expressions.containsExpression("plain")).isFalse();
    assertThat(Expressions.containsExpression("a {{ 1 }}")).isTrue();
    assertThat(expressions.compilations()).isZero();
  }

  @Test
  void aSingleExpressionKeepsItsJsonType() {
    assertThat(eval("{{ $json.amount * 1.2 }}").isNumber()).isTrue();
    assertThat(eval("{{ $json.amount * 1.2 }}").intValue()).isEqualTo(12);
    assertThat(eval("{{ 7 / 2 }}").doubleValue()).isEqualTo(3.5);
    assertThat(eval("{{ 6 / 2 }}")).isEqualTo(json("3")); // an integer, not 3.0
    assertThat(eval("  {{ $json.amount > 5 }}\n")).isEqualTo(json("true"));
    assertThat(eval("{{ $json.a }}")).isEqualTo(json("{'b': 'deep'}"));
    assertThat(eval("{{ $json.tags }}")).isEqualTo(json("['x', 'y']"));
    assertThat(eval("{{ {'total': $json.amount, 'list': [1, 2]} }}"))
        .isEqualTo(json("{'total': 10, 'list': [1, 2]}"));
  }

  @Test
  void undefinedAndNullBecomeJsonNullAloneAndEmptyTextInterpolated() {
    assertThat(eval("{{ $json.missing }}").isNull()).isTrue();
    assertThat(eval("{{ $json.n }}").isNull()).isTrue();
    assertThat(eval("[{{ $json.missing }}|{{ $json.n }}]").textValue()).isEqualTo("[|]");
  }

  @Test
  void aFunctionIsNotAParameterValue() {
    ExpressionException e =
        catchThrowableOfType(ExpressionException.class, () -> eval("x {{ $uppercase }}"));
    assertThat(e.getMessage())
        .isEqualTo(
            "position 5: the result is a function, not a value (call it with its arguments)");
    assertThat(eval("{{ $uppercase($json.a.b) }}").textValue()).isEqualTo("DEEP");
  }

  @Test
  void interpolationPrintsValuesIntoTheText() {
    assertThat(
            eval("Total {{ $json.amount * 1.2 }} ({{ $json.amount > 5 }}) {{ $json.a.b }}"
                    + " {{ $json.a }} {{ $json.tags }} {{ 0.1 + 0.2 }}")
                .textValue())
        .isEqualTo("Total 12 (true) deep {\"b\":\"deep\"} [\"x\",\"y\"] 0.3");
  }

  // --- bindings ---

  @Test
  void jsonIsTheCurrentItemAndTheContext() {
    assertThat(eval("{{ $json.a.b }}").textValue()).isEqualTo("deep");
    assertThat(eval("{{ a.b }}").textValue()).isEqualTo("deep");
    assertThat(eval("{{ $json[\"a\"][\"b\"] }}").textValue()).isEqualTo("deep");
  }

  @Test
  void nodeGivesTheFirstItemAsJsonAndAllItemsAsItems() {
    assertThat(eval("{{ $node[\"Set Fields\"].json.x }}").intValue()).isEqualTo(42);
    assertThat(eval("{{ $node['Set Fields'].json.name }}").textValue()).isEqualTo("first");
    assertThat(eval("{{ $node.`Set Fields`.json.x }}").intValue()).isEqualTo(42);
    assertThat(eval("{{ $node[\"Set Fields\"].items.x }}")).isEqualTo(json("[42, 7]"));
    assertThat(eval("{{ $count($node[\"Set Fields\"].items) }}").intValue()).isEqualTo(2);
    assertThat(eval("{{ $node[\"Set Fields\"].items[1].x }}").intValue()).isEqualTo(7);
    assertThat(eval("{{ $node[\"Empty\"].json }}").isNull()).isTrue();
    assertThat(eval("{{ $node[\"Empty\"].items }}")).isEqualTo(json("[]"));
    assertThat(eval("{{ $node[\"Unknown\"].json.x }}").isNull()).isTrue();
  }

  @Test
  void arrayConstructorsAreNotMistakenForMemberAccess() {
    assertThat(eval("{{ $json.tags[0] in [\"x\", \"z\"] }}")).isEqualTo(json("true"));
    assertThat(eval("{{ [\"a\"] }}")).isEqualTo(json("['a']"));
    assertThat(eval("{{ ($l := [\"a\", \"b\"]; $count($l)) }}").intValue()).isEqualTo(2);
    assertThat(eval("{{ $json.tags[$ = \"y\"] }}").textValue()).isEqualTo("y");
  }

  @Test
  void varsExecutionWorkflowAndAFixedNow() {
    assertThat(eval("{{ $vars.API_URL & \"/x\" }}").textValue())
        .isEqualTo("https://api.example.com/x");
    assertThat(eval("{{ $vars.API_URL }}/invoices/{{ $json.amount }}").textValue())
        .isEqualTo("https://api.example.com/invoices/10");
    assertThat(eval("{{ $execution.id }}/{{ $execution.mode }}").textValue())
        .isEqualTo("ex-1/manual");
    assertThat(
            eval("{{ $workflow.name }} {{ $workflow.id }} {{ $workflow.versionId }}").textValue())
        .isEqualTo("Invoice sync wf-1 v-3");
    assertThat(eval("{{ $now }}").textValue()).isEqualTo("2024-05-01T12:30:00.000Z");
    assertThat(eval("{{ $millis() }}").longValue()).isEqualTo(NOW.toEpochMilli());
    assertThat(eval("{{ $toMillis($now) }}").longValue()).isEqualTo(NOW.toEpochMilli());
    Scope scope = scope("{}");
    assertThat(expressions.evaluate("{{ $now }}", scope))
        .isEqualTo(expressions.evaluate("{{ $now }}", scope));
  }

  @Test
  void withJsonChangesOnlyTheCurrentItem() {
    Scope first = scope("{'amount': 1}");
    Scope second = first.withJson(json("{'amount': 2}"));
    Template template =
        expressions.template("{{ $json.amount }} {{ $node[\"Set Fields\"].json.x }}");
    assertThat(template.evaluate(first).textValue()).isEqualTo("1 42");
    assertThat(template.evaluate(second).textValue()).isEqualTo("2 42");
  }

  @Test
  void itemDataCannotBeChangedByAnExpression() {
    Scope scope = scope("{'a': {'b': 1}, 'list': [3, 1, 2]}");
    assertThat(expressions.evaluate("{{ $ ~> |a|{'b': 2}| }}", scope))
        .isEqualTo(json("{'a': {'b': 2}, 'list': [3, 1, 2]}"));
    assertThat(expressions.evaluate("{{ $sort(list) }}", scope)).isEqualTo(json("[1, 2, 3]"));
    assertThat(expressions.evaluate("{{ $append(list, 4) }}", scope))
        .isEqualTo(json("[3, 1, 2, 4]"));
    assertThat(expressions.evaluate("{{ $reverse(list) }}", scope)).isEqualTo(json("[2, 1, 3]"));
    assertThat(expressions.evaluate("{{ $ }}", scope))
        .isEqualTo(json("{'a': {'b': 1}, 'list': [3, 1, 2]}"));
  }

  // --- parsing ---

  @Test
  void closingBracesInsideStringsObjectsAndCommentsDoNotEndTheExpression() {
    assertThat(eval("{{ \"a }} b\" }}").textValue()).isEqualTo("a }} b");
    assertThat(eval("{{ 'single }}' & \"}}\" }}!").textValue()).isEqualTo("single }}}}!");
    assertThat(eval("{{ \"say \\\"}}\\\"\" }}").textValue()).isEqualTo("say \"}}\"");
    assertThat(eval("{{ {\"a\":{\"b\":1}} }}")).isEqualTo(json("{'a': {'b': 1}}"));
    assertThat(eval("{{ /* }} */ 1 }}").intValue()).isEqualTo(1);
    assertThat(eval("{{ $replace(\"a\\\"b\", /\"/, \"'\") }}").textValue()).isEqualTo("a'b");
    assertThat(eval("{{ \"{{\" }} literal").textValue()).isEqualTo("{{ literal");
  }

  @Test
  void unclosedBracesAreACompileErrorWithTheirPosition() {
    ExpressionException e =
        catchThrowableOfType(
            ExpressionException.class, () -> expressions.template("Hello {{ $json.name"));
    assertThat(e.position()).isEqualTo(6);
    assertThat(e.getMessage()).isEqualTo("position 6: unclosed {{ (no matching }})");

    e =
        catchThrowableOfType(
            ExpressionException.class, () -> expressions.template("x {{ \"abc }}"));
    assertThat(e.position()).isEqualTo(5);
    assertThat(e.reason()).startsWith("unterminated string literal");

    e = catchThrowableOfType(ExpressionException.class, () -> expressions.template("x {{  }}"));
    assertThat(e.getMessage()).isEqualTo("position 2: empty expression {{ }}");
  }

  @Test
  void syntaxErrorsAndUnknownFunctionsNameParameterAndPosition() {
    ExpressionException e =
        catchThrowableOfType(
            ExpressionException.class,
            () -> expressions.resolve(json("{'url': 'https://x/{{ $foo(1) }}'}"), scope("{}")));
    assertThat(e.parameter()).isEqualTo("/url");
    assertThat(e.position()).isEqualTo(13);
    assertThat(e.expression()).isEqualTo("$foo(1)");
    assertThat(e.getMessage()).isEqualTo("parameter /url, position 13: unknown function $foo");

    e = catchThrowableOfType(ExpressionException.class, () -> expressions.template("a {{ 1 + }}"));
    assertThat(e.position()).isEqualTo(8);
    assertThat(e.getMessage()).isEqualTo("position 8: Unexpected end of expression (S0207)");

    e = catchThrowableOfType(ExpressionException.class, () -> eval("{{ $now() }}"));
    assertThat(e.position()).isEqualTo(3);
    assertThat(e.reason()).startsWith("$now is a string, not a function");

    e = catchThrowableOfType(ExpressionException.class, () -> eval("{{ $eval(\"1 + 1\") }}"));
    assertThat(e.reason()).contains("$eval is not available");

    e = catchThrowableOfType(ExpressionException.class, () -> eval("{{ $number(\"abc\") }}"));
    assertThat(e.position()).isEqualTo(3);
    assertThat(e.reason()).startsWith("evaluation failed");
  }

  @Test
  void theEngineAddsTheNodeToTheMessage() {
    ExpressionException e =
        catchThrowableOfType(
            ExpressionException.class,
            () -> expressions.resolve(json("{'url': '{{ $foo() }}'}"), scope("{}")));
    ExpressionException withNode = e.withNode("n1", "Fetch");
    assertThat(withNode.getMessage())
        .isEqualTo("node \"Fetch\" (n1), parameter /url, position 3: unknown function $foo");
    assertThat(withNode.parameter()).isEqualTo("/url");
    assertThat(withNode.nodeName()).isEqualTo("Fetch");
  }

  // --- sandbox bounds ---

  @Test
  void runawayRecursionIsStoppedByTheDepthBound() {
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> eval("{{ ($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000)) }}"))
        .isInstanceOf(ExpressionException.class)
        .hasMessage(
            "position 3: expression recursion deeper than 500 evaluation steps"
                + " (a non-terminating recursive function?)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    // recursion within the bound is fine
    assertThat(
            eval("{{ ($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100)) }}").intValue())
        .isEqualTo(100);
  }

  @Test
  void longLoopsAreStoppedByTheTimeBound() {
    for (String loop :
        List.of(
            "($f := function($n) { $f($n + 1) }; $f(0))", // tail call: no depth, only time
            "$reduce([1..10000000], function($a, $b) { $a + $b })",
            "$count([1..5000000].($ * 2)[$ % 3 = 0])")) {
      long start = System.nanoTime();
      ExpressionException e =
          catchThrowableOfType(
              ExpressionException.class,
              () -> bounded.template("{{ " + loop + " }}").evaluate(scope("{}")));
      assertThat(e).as(loop).isNotNull();
      assertThat(e.reason()).isEqualTo("expression took longer than 200 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  // --- resolve ---

  @Test
  void resolveEvaluatesEveryStringOfNestedParameters() {
    JsonNode parameters =
        json(
            "{'url': '{{ $vars.API_URL }}/orders/{{ $json.amount }}', 'method': 'POST',"
                + " 'timeout': 30, 'headers': {'X-Total': '{{ $json.amount * 2 }}'},"
                + " 'body': [{'name': '{{ $json.a }}'}, 'literal', true, null]}");
    JsonNode resolved = expressions.resolve(parameters, scope("{'amount': 10, 'a': {'b': 1}}"));
    assertThat(resolved)
        .isEqualTo(
            json(
                "{'url': 'https://api.example.com/orders/10', 'method': 'POST', 'timeout': 30,"
                    + " 'headers': {'X-Total': 20}, 'body': [{'name': {'b': 1}}, 'literal', true,"
                    + " null]}"));
    assertThat(parameters.get("url").textValue()).contains("{{"); // the input is not changed
  }

  @Test
  void resolveErrorsCarryTheJsonPointerOfTheParameter() {
    ExpressionException e =
        catchThrowableOfType(
            ExpressionException.class,
            () ->
                expressions.resolve(
                    json("{'headers': {'Authorization': 'Bearer {{ $vars.TOKEN & }}'}}"),
                    scope("{}")));
    assertThat(e.parameter()).isEqualTo("/headers/Authorization");
    assertThat(e.getMessage()).startsWith("parameter /headers/Authorization, position ");

    e =
        catchThrowableOfType(
            ExpressionException.class,
            () ->
                expressions.resolve(
                    json("{'body': [{'a/b~c': ['ok', '{{ $nope() }}']}]}"), scope("{}")));
    assertThat(e.parameter()).isEqualTo("/body/0/a~1b~0c/1");
  }

  // --- cache and threads ---

  @Test
  void theSameExpressionIsCompiledOnceAndTheCacheIsBounded() {
    Expressions small = new Expressions(3, Duration.ofSeconds(1), 100);
    for (int i = 0; i < 5; i++) {
      small.template("{{ $json.amount * 1.2 }} and {{ $json.amount * 1.2 }}").evaluate(scope("{}"));
      small.template("other text, {{ $json.amount * 1.2 }}");
    }
    assertThat(small.compilations()).isEqualTo(1);
    assertThat(small.cacheSize()).isEqualTo(1);
    for (int i = 0; i < 10; i++) {
      small.template("{{ " + i + " }}");
    }
    assertThat(small.cacheSize()).isEqualTo(3);
    assertThat(small.compilations()).isEqualTo(11);
    // compile errors are cached too
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> small.template("{{ 1 + }}")).isInstanceOf(ExpressionException.class);
    }
    assertThat(small.compilations()).isEqualTo(12);
  }

  @Test
  void manyThreadsEvaluatingOneTemplateEachGetTheirOwnResult() throws Exception {
    // a generous time bound: this is about isolation, and the build machine may be busy
    Expressions expressions = new Expressions(100, Duration.ofSeconds(30), 500);
    Template template =
        expressions.template(
            "{{ ($id := $json.id; $sum([1..50].($ * 0 + $id)) / 50 = $id ? $execution.id & \"/\" &"
                + " $id : \"mixed\") }}");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    int id = thread * 1000 + i;
                    Scope scope =
                        Scope.builder()
                            .json(json("{'id': " + id + "}"))
                            .execution("ex-" + thread, "trigger")
                            .build();
                    // compile on worker threads too, interleaved with evaluations
                    expressions.template("{{ " + (i % 7) + " + $json.id }}").evaluate(scope);
                    String got = template.evaluate(scope).textValue();
                    if (!got.equals("ex-" + thread + "/" + id)) {
                      throw new AssertionError(got + " for " + id);
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void variablesOfOneEvaluationDoNotLeakIntoTheNext() {
    Template template =
        expressions.template("{{ $json.set ? [$secret := $json.token][0] : $secret }}");
    assertThat(template.evaluate(scope("{'set': true, 'token': 's3cr3t'}")).textValue())
        .isEqualTo("s3cr3t");
    assertThat(template.evaluate(scope("{'set': false}")).isNull()).isTrue();
  }
}
