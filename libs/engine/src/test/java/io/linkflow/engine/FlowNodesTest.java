package io.linkflow.engine;

import static io.linkflow.engine.Fixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** IF, Filter, Switch, Merge, Split in Batches, triggers, No-op, Stop and Error. */
class FlowNodesTest {

  @Test
  void manualTriggerOutputsItsItemsOrOneEmptyItem() {
    assertThat(exec("linkflow.manualTrigger", "{}", List.of()).output("main"))
        .containsExactly(obj("{}"));
    assertThat(exec("linkflow.manualTrigger", "{}", items("[{'a':1}]")).output("main"))
        .containsExactly(obj("{'a':1}"));
  }

  @Test
  void noOpPassesItemsThrough() {
    assertThat(exec("linkflow.noOp", "{}", items("[{'a':1},{'a':2}]")).output("main"))
        .isEqualTo(items("[{'a':1},{'a':2}]"));
  }

  @Test
  void ifRoutesItemsByAnExpressionCondition() {
    NodeResult r =
        exec(
            "linkflow.if",
            "{'conditions': [{'left': '{{ $json.amount }}', 'operator': 'greaterThan', 'right': 100}]}",
            items("[{'amount': 50}, {'amount': 150}, {'amount': '200'}, {}]"));
    assertThat(field(r.output("true"), "amount")).containsExactly("150", "\"200\"");
    assertThat(field(r.output("false"), "amount")).containsExactly("50", "null");
  }

  @Test
  void ifCombinesWithOrAndIgnoresCase() {
    String params =
        "{'combinator': 'or', 'ignoreCase': true, 'conditions': ["
            + "{'left': '{{ $json.status }}', 'right': 'PAID'},"
            + "{'left': '{{ $json.tags }}', 'operator': 'contains', 'right': 'vip'}]}";
    NodeResult r =
        exec(
            "linkflow.if",
            params,
            items("[{'status': 'paid'}, {'status': 'open', 'tags': ['vip']}, {'status': 'open'}]"));
    assertThat(r.output("true")).hasSize(2);
    assertThat(r.output("false")).containsExactly(obj("{'status': 'open'}"));
  }

  @Test
  void operators() {
    record Case(String left, String op, String right, boolean expected) {}
    List<Case> cases =
        List.of(
            new Case("5", "equals", "'5'", true),
            new Case("5.0", "equals", "5", true),
            new Case("'a'", "notEquals", "'b'", true),
            new Case("true", "equals", "'true'", true),
            new Case("'hello world'", "contains", "'lo w'", true),
            new Case("'hello'", "notContains", "'x'", true),
            new Case("'hello'", "startsWith", "'he'", true),
            new Case("'hello'", "endsWith", "'lo'", true),
            new Case("'10'", "greaterThan", "9", true),
            new Case("'b'", "greaterThan", "'a'", true),
            new Case("'2024-05-02T00:00:00Z'", "greaterThan", "'2024-05-01T23:00:00-02:00'", false),
            new Case("3", "greaterThanOrEqual", "3", true),
            new Case("2", "lessThan", "3", true),
            new Case("3", "lessThanOrEqual", "2", false),
            new Case("null", "greaterThan", "1", false),
            new Case("''", "isEmpty", "null", true),
            new Case("[]", "isEmpty", "null", true),
            new Case("{}", "isNotEmpty", "null", false),
            new Case("'ORD-123'", "matchesRegex", "'^ORD-\\\\d+$'", true),
            new Case("0", "exists", "null", true),
            new Case("null", "notExists", "null", true));
    for (Case c : cases) {
      NodeResult r =
          exec(
              "linkflow.if",
              "{'conditions': [{'left': "
                  + c.left()
                  + ", 'operator': '"
                  + c.op()
                  + "', 'right': "
                  + c.right()
                  + "}]}",
              items("[{}]"));
      assertThat(r.output("true").size() == 1).as("%s", c).isEqualTo(c.expected());
    }
  }

  @Test
  void anInvalidRegularExpressionNamesTheParameter() {
    assertThatThrownBy(
            () ->
                exec(
                    "linkflow.filter",
                    "{'conditions': [{'left': 'a', 'operator': 'matchesRegex', 'right': '(' }]}",
                    items("[{}]")))
        .isInstanceOf(NodeException.class)
        .hasMessageStartingWith("parameter /conditions/0/right: invalid regular expression");
  }

  @Test
  void aCatastrophicRegularExpressionIsStopped() {
    ObjectNode params =
        obj("{'conditions': [{'operator': 'matchesRegex', 'right': '(.*a){25}b'}]}");
    ((ObjectNode) params.at("/conditions/0")).put("left", "a".repeat(40));
    NodeRun run =
        new NodeRun(
            "n1", "Check", "linkflow.if", 1, params, Map.of("main", items("[{}]")), SCOPE, null);
    assertThatThrownBy(() -> RUNNER.run(run))
        .isInstanceOf(NodeException.class)
        .hasMessage("parameter /conditions/0/right: regular expression took longer than 1000 ms");
  }

  @Test
  void filterKeepsAndDiscards() {
    NodeResult r =
        exec(
            "linkflow.filter",
            "{'conditions': [{'left': '{{ $json.email }}', 'operator': 'isNotEmpty'}]}",
            items("[{'email': 'a@x.io'}, {'email': ''}, {}]"));
    assertThat(r.output("kept")).containsExactly(obj("{'email': 'a@x.io'}"));
    assertThat(r.output("discarded")).hasSize(2);
  }

  @Test
  void switchRulesFirstMatchAndFallback() {
    String rules =
        "'rules': ["
            + "{'output': 0, 'conditions': [{'left': '{{ $json.n }}', 'operator': 'lessThan', 'right': 10}]},"
            + "{'output': 2, 'conditions': [{'left': '{{ $json.n }}', 'operator': 'lessThan', 'right': 100}]}]";
    List<ObjectNode> in = items("[{'n': 5}, {'n': 50}, {'n': 500}]");
    NodeResult r = exec("linkflow.switch", "{'mode': 'rules', " + rules + "}", in);
    assertThat(r.outputs().keySet()).containsExactly("0", "2");
    assertThat(field(r.output("0"), "n")).containsExactly("5");
    assertThat(field(r.output("2"), "n")).containsExactly("50");

    r = exec("linkflow.switch", "{'mode': 'rules', 'fallbackOutput': 3, " + rules + "}", in);
    assertThat(field(r.output("3"), "n")).containsExactly("500");

    r = exec("linkflow.switch", "{'mode': 'rules', 'allMatchingOutputs': true, " + rules + "}", in);
    assertThat(field(r.output("0"), "n")).containsExactly("5");
    assertThat(field(r.output("2"), "n")).containsExactly("5", "50");
  }

  @Test
  void switchExpressionMode() {
    NodeResult r =
        exec(
            "linkflow.switch",
            "{'mode': 'expression', 'expression': '{{ $json.priority }}', 'fallbackOutput': 0}",
            items("[{'priority': 1}, {'priority': '3'}, {}]"));
    assertThat(field(r.output("1"), "priority")).containsExactly("1");
    assertThat(field(r.output("3"), "priority")).containsExactly("\"3\"");
    assertThat(r.output("0")).containsExactly(obj("{}"));
    assertThatThrownBy(
            () ->
                exec(
                    "linkflow.switch",
                    "{'mode': 'expression', 'expression': '{{ 7 }}'}",
                    items("[{}]")))
        .isInstanceOf(NodeException.class)
        .hasMessage("parameter /expression: 7 is not an output number (0 to 3)");
  }

  @Test
  void mergeAppendsAndChoosesBranch() {
    Map<String, List<ObjectNode>> in =
        Map.of("input1", items("[{'a':1},{'a':2}]"), "input2", items("[{'b':1}]"));
    assertThat(RUNNER.run(run("linkflow.merge", "{'mode': 'append'}", in, null)).output("main"))
        .isEqualTo(items("[{'a':1},{'a':2},{'b':1}]"));
    assertThat(
            RUNNER
                .run(
                    run("linkflow.merge", "{'mode': 'chooseBranch', 'branch': 'input2'}", in, null))
                .output("main"))
        .isEqualTo(items("[{'b':1}]"));
    assertThat(
            RUNNER
                .run(
                    run(
                        "linkflow.merge",
                        "{'mode': 'append'}",
                        Map.of("input2", items("[{}]")),
                        null))
                .output("main"))
        .hasSize(1);
  }

  @Test
  void mergeCombinesByField() {
    Map<String, List<ObjectNode>> in =
        Map.of(
            "input1",
            items("[{'id': 1, 'name': 'Ann'}, {'id': 2, 'name': 'Bob'}, {'name': 'none'}]"),
            "input2",
            items("[{'userId': '1', 'total': 9}, {'userId': 3, 'total': 7}]"));
    String p = "{'mode': 'combineByField', 'field1': 'id', 'field2': 'userId', 'join': '%s'}";
    assertThat(RUNNER.run(run("linkflow.merge", p.formatted("inner"), in, null)).output("main"))
        .isEqualTo(items("[{'id': 1, 'name': 'Ann', 'userId': '1', 'total': 9}]"));
    assertThat(RUNNER.run(run("linkflow.merge", p.formatted("left"), in, null)).output("main"))
        .hasSize(3);
    assertThat(RUNNER.run(run("linkflow.merge", p.formatted("outer"), in, null)).output("main"))
        .hasSize(4)
        .last()
        .isEqualTo(obj("{'userId': 3, 'total': 7}"));
  }

  @Test
  void mergeCombinesByPosition() {
    Map<String, List<ObjectNode>> in =
        Map.of("input1", items("[{'a':1},{'a':2}]"), "input2", items("[{'b':1, 'a': 9}]"));
    assertThat(
            RUNNER
                .run(run("linkflow.merge", "{'mode': 'combineByPosition'}", in, null))
                .output("main"))
        .isEqualTo(items("[{'a':9,'b':1}]"));
    assertThat(
            RUNNER
                .run(
                    run(
                        "linkflow.merge",
                        "{'mode': 'combineByPosition', 'join': 'left'}",
                        in,
                        null))
                .output("main"))
        .isEqualTo(items("[{'a':9,'b':1},{'a':2}]"));
  }

  @Test
  void splitInBatchesLoopsTenTenFiveThenDone() {
    List<ObjectNode> all = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      all.add(obj("{}").put("i", i));
    }
    List<Integer> loops = new ArrayList<>();
    List<ObjectNode> incoming = all;
    JsonNode state = null;
    NodeResult r;
    int runs = 0;
    while (true) {
      r =
          RUNNER.run(
              run("linkflow.splitInBatches", "{'batchSize': 10}", Map.of("main", incoming), state));
      runs++;
      if (!r.output("done").isEmpty() || runs > 10) {
        break;
      }
      loops.add(r.output("loop").size());
      // the loop body marks each item, and its output comes back to the node
      incoming = r.output("loop").stream().map(i -> i.deepCopy().put("seen", true)).toList();
      state = r.state();
    }
    assertThat(loops).containsExactly(10, 10, 5);
    assertThat(r.output("loop")).isEmpty();
    assertThat(r.output("done")).hasSize(25).allMatch(i -> i.get("seen").asBoolean());
    assertThat(field(r.output("done"), "i").get(24)).isEqualTo("24");
    assertThat(r.state()).isNull();
  }

  @Test
  void splitInBatchesResetStartsOver() {
    JsonNode state =
        RUNNER
            .run(
                run(
                    "linkflow.splitInBatches",
                    "{'batchSize': 2}",
                    Map.of("main", items("[{},{},{}]")),
                    null))
            .state();
    NodeResult r =
        RUNNER.run(
            run(
                "linkflow.splitInBatches",
                "{'batchSize': 2, 'reset': true}",
                Map.of("main", items("[{'new': 1}]")),
                state));
    assertThat(r.output("loop")).containsExactly(obj("{'new': 1}"));
  }

  @Test
  void stopAndErrorFailsWithTheAuthorsMessage() {
    assertThatThrownBy(
            () ->
                exec(
                    "linkflow.stopAndError",
                    "{'message': 'Order {{ $json.id }} has no customer'}",
                    items("[{'id': 42}]")))
        .isInstanceOfSatisfying(
            NodeException.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo("Order 42 has no customer");
              assertThat(e.retryable()).isFalse();
              assertThat(e.nodeId()).isEqualTo("n1");
            });
  }

  @Test
  void stopAndErrorWithAnObject() {
    assertThatThrownBy(
            () ->
                exec(
                    "linkflow.stopAndError",
                    "{'errorType': 'object', 'errorObject': {'code': 'E42', 'message': 'bad input'}}",
                    items("[]")))
        .isInstanceOfSatisfying(
            NodeException.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo("bad input");
              assertThat(e.details().get("code").asText()).isEqualTo("E42");
            });
  }
}
