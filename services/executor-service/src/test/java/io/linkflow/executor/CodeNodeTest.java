package io.linkflow.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.wire.NodeOutcome;
import io.linkflow.events.Topic;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Code node: JavaScript in GraalJS, sandboxed and bounded. */
@QuarkusTest
@RealInfrastructure(database = "", postgres = false, redis = false)
@WithTestResource(FakeServer.class)
class CodeNodeTest {

  /** A Code node running {@code code} (a JavaScript function body). */
  private static Commands.Run code(String mode, String code, String... items) {
    ObjectNode parameters = Commands.JSON.createObjectNode();
    parameters.put("mode", mode);
    parameters.put("code", code);
    Commands.Run run = new Commands.Run("linkflow.code", "{}");
    run.nodeName = "Code";
    run.parameters = parameters;
    return run.items(items);
  }

  @Test
  void allItemsSeesTheItemsAndReturnsAList() {
    Commands.Result result =
        Commands.run(
            code(
                "allItems",
                "const total = items.reduce((s, i) => s + i.price, 0);\n"
                    + "return $input.all().map(i => ({ ...i, share: i.price / total }));",
                "{\"price\":30}",
                "{\"price\":70}"));

    assertThat(result.payload().status()).as(String.valueOf(result.error())).isEqualTo("succeeded");
    assertThat(result.main()).extracting(i -> i.get("share").asDouble()).containsExactly(0.3, 0.7);

    // one object is one item; async code works
    Commands.Result one =
        Commands.run(
            code(
                "allItems",
                "const n = await Promise.resolve(items.length); return { n };",
                "{}",
                "{}"));
    assertThat(one.main()).extracting(Object::toString).containsExactly("{\"n\":2}");
  }

  @Test
  void eachItemRunsPerItemAndNullDropsIt() {
    Commands.Result result =
        Commands.run(
            code(
                "eachItem",
                "if ($json.skip) return null;\nreturn { name: item.name.toUpperCase(), i: $index };",
                "{\"name\":\"ada\"}",
                "{\"name\":\"bob\",\"skip\":true}",
                "{\"name\":\"cy\"}"));

    assertThat(result.main())
        .extracting(Object::toString)
        .containsExactly("{\"name\":\"ADA\",\"i\":0}", "{\"name\":\"CY\",\"i\":2}");
  }

  @Test
  void theBindingsAreThereAndReadOnly() {
    FakeServer.route(
        "/internal/v1/variables",
        (seen, exchange) ->
            FakeServer.json(exchange, 200, "{\"values\":{\"REGION\":\"eu-west\"}}"));
    Commands.Run run =
        code(
            "allItems",
            "'use strict';\n"
                + "let writable = true;\n"
                + "try { $vars.REGION = 'us'; } catch (e) { writable = false; }\n"
                + "return { region: $vars.REGION, writable, previous: $node['Fetch'].json.id,\n"
                + "  all: $node['Fetch'].items.length, execution: $execution.id, mode: $execution.mode,\n"
                + "  workflow: $workflow.name, now: $now };",
            "{}");
    run.nodes =
        Map.of(
            "Fetch",
            List.<JsonNode>of(Commands.object("{\"id\":41}"), Commands.object("{\"id\":42}")));

    JsonNode out = Commands.run(run).main().get(0);

    assertThat(out.get("region").asText()).isEqualTo("eu-west");
    assertThat(out.get("writable").asBoolean()).isFalse();
    assertThat(out.get("previous").asInt()).isEqualTo(41);
    assertThat(out.get("all").asInt()).isEqualTo(2);
    assertThat(out.get("execution").asText()).isEqualTo(run.executionId.toString());
    assertThat(out.get("mode").asText()).isEqualTo("manual");
    assertThat(out.get("workflow").asText()).isEqualTo("Orders sync");
    assertThat(out.get("now").asText()).isEqualTo("2026-01-02T03:04:05.678Z");
  }

  @Test
  void theCodeHasNoWayToTheHost() {
    JsonNode out =
        Commands.run(
                code(
                    "allItems",
                    "let javaType;\n"
                        + "try { javaType = String(Java.type('java.lang.Runtime')); }\n"
                        + "catch (e) { javaType = e.name; }\n"
                        + "return { java: typeof java, Java: typeof Java, require: typeof require,\n"
                        + "  process: typeof process, Polyglot: typeof Polyglot, load: typeof load,\n"
                        + "  Packages: typeof Packages, javaType };",
                    "{}"))
            .main()
            .get(0);

    assertThat(out.toString())
        .isEqualTo(
            "{\"java\":\"undefined\",\"Java\":\"undefined\",\"require\":\"undefined\","
                + "\"process\":\"undefined\",\"Polyglot\":\"undefined\",\"load\":\"undefined\","
                + "\"Packages\":\"undefined\",\"javaType\":\"ReferenceError\"}");
  }

  @Test
  void aThrownErrorFailsWithItsMessageLineAndConsole() {
    Commands.Result result =
        Commands.run(
            code(
                "allItems",
                "console.log('starting', items.length);\nconst x = 1;\nthrow new Error('bad order ' + x);",
                "{}"));

    assertThat(result.payload().status()).isEqualTo("failed");
    assertThat(result.error().retryable()).isFalse();
    assertThat(result.error().kind()).isEqualTo(NodeOutcome.NODE);
    assertThat(result.error().message()).isEqualTo("node \"Code\": Error: bad order 1 (line 3)");
    assertThat(result.error().details().get("line").asInt()).isEqualTo(3);
    assertThat(result.error().details().get("console").toString()).isEqualTo("[\"starting 1\"]");

    Commands.Result syntax = Commands.run(code("allItems", "return {;", "{}"));
    assertThat(syntax.error().message())
        .startsWith("node \"Code\": SyntaxError")
        .endsWith("(line 1)");
  }

  @Test
  void returningSomethingOtherThanObjectsIsAClearError() {
    assertThat(Commands.run(code("allItems", "return 42;", "{}")).error().message())
        .isEqualTo(
            "node \"Code\": the code returned a number: return an array of objects (or one object)");
    assertThat(Commands.run(code("allItems", "return [{}, 'x'];", "{}")).error().message())
        .isEqualTo("node \"Code\": item 1 of the returned array is a string, not an object");
    assertThat(Commands.run(code("allItems", "items.length;", "{}")).error().message())
        .isEqualTo(
            "node \"Code\": the code returned nothing: return an array of objects (or one object)");
    assertThat(Commands.run(code("eachItem", "return [1];", "{}")).error().message())
        .isEqualTo(
            "node \"Code\": the code returned an array for item 0: return an object, or null to"
                + " drop the item");
  }

  @Test
  void aRunawayLoopIsStoppedByTheTimeout() {
    Commands.Run run = code("allItems", "while (true) {}", "{}");
    run.parameters.put("timeoutMs", 500);

    Commands.Result result = Commands.run(run);

    assertThat(result.error().kind()).isEqualTo(NodeOutcome.TIMEOUT);
    assertThat(result.error().retryable()).isFalse();
    assertThat(result.error().message())
        .isEqualTo(
            "node \"Code\": the code ran longer than its timeoutMs (500 ms) and was stopped");
    assertThat(Duration.between(result.payload().startedAt(), result.payload().finishedAt()))
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aMemoryBombIsStopped() {
    Commands.Run run =
        code(
            "allItems",
            "const hoard = [];\nfor (let i = 0; ; i++) { hoard.push('x'.repeat(100000) + i); }",
            "{}");
    run.parameters.put("memoryMb", 16);
    run.parameters.put("timeoutMs", 30000);

    Commands.Result result = Commands.run(run);

    assertThat(result.error().kind()).isEqualTo(NodeOutcome.LIMIT);
    assertThat(result.error().retryable()).isFalse();
    assertThat(result.error().message())
        .isEqualTo(
            "node \"Code\": the code allocated more than its memory budget of 64 MB (memoryMb 16"
                + " × 4) and was stopped");
    assertThat(Duration.between(result.payload().startedAt(), result.payload().finishedAt()))
        .isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void anAbortStopsARunningCodeNode() {
    Commands.Run run = code("allItems", "while (true) {}", "{}");
    run.parameters.put("timeoutMs", 60000);

    try (TopicWatcher results = TopicWatcher.watch(Topic.EXECUTION_RESULTS.topicName())) {
      Commands.send(run);
      // the run has started once its worker shows as busy; then abort it
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!running() && System.nanoTime() < deadline) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
      Commands.abort(run);
      Commands.Result result = Commands.await(results, run);

      assertThat(result.error().kind()).isEqualTo(NodeOutcome.ABORTED);
      assertThat(result.error().retryable()).isFalse();
      assertThat(Duration.between(result.payload().startedAt(), result.payload().finishedAt()))
          .isLessThan(Duration.ofSeconds(30));
    }
  }

  private static boolean running() {
    String metrics = io.restassured.RestAssured.given().get("/metrics").then().extract().asString();
    return metrics
        .lines()
        .anyMatch(l -> l.startsWith("worker_jobs_running ") && !l.endsWith(" 0.0"));
  }
}
