package io.linkflow.expressions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * A rough throughput figure, not a test (nothing is asserted): evaluations per second of a typical
 * {@code {{ $json.amount * 1.2 }}}, once reusing one scope and once with a new item per evaluation
 * ({@link Scope#withJson}, as the engine does per item).
 *
 * <pre>
 * mvn -o -q test-compile -pl libs/expressions
 * mvn -o -q dependency:build-classpath -pl libs/expressions -Dmdep.outputFile=/tmp/cp.txt
 * java -cp libs/expressions/target/classes:libs/expressions/target/test-classes:$(cat /tmp/cp.txt) \
 *     io.linkflow.expressions.ExpressionBench
 * </pre>
 */
public final class ExpressionBench {

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Expressions expressions = new Expressions();
    Template template = expressions.template("{{ $json.amount * 1.2 }}");

    List<JsonNode> items = new ArrayList<>();
    for (int i = 0; i < 1024; i++) {
      items.add(
          JsonNodeFactory.instance
              .objectNode()
              .put("id", i)
              .put("amount", 10 + i)
              .put("currency", "EUR")
              .put("customer", "customer-" + i));
    }
    Scope scope =
        Scope.builder()
            .json(items.get(0))
            .node("Fetch", items)
            .var("API_URL", "https://api.example.com")
            .execution("ex-1", "trigger")
            .workflow("wf-1", "Bench", "v1")
            .build();

    run("same scope", n, i -> template.evaluate(scope));
    run("new item each time", n, i -> template.evaluate(scope.withJson(items.get(i & 1023))));
  }

  private static void run(String label, int n, java.util.function.IntFunction<JsonNode> eval) {
    double sink = 0;
    for (int i = 0; i < 200_000; i++) { // warm-up
      sink += eval.apply(i).doubleValue();
    }
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      sink += eval.apply(i).doubleValue();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "%-20s %,d evaluations in %.2f s: %,.0f evaluations/s (%.2f µs each) [%s]%n",
        label, n, seconds, n / seconds, seconds * 1e6 / n, sink > 0 ? "ok" : "?");
  }
}
