package io.linkflow.engine;

import static io.linkflow.engine.Fixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.nodes.Catalog;
import io.linkflow.nodes.NodeType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuntimeTest {

  @Test
  void everyCatalogTypeIsImplementedHereOrRunsInExecutorService() {
    Set<String> catalogTypes = new HashSet<>();
    Catalog.builtIn().nodeTypes().stream().map(NodeType::type).forEach(catalogTypes::add);
    NodeRegistry registry = NodeRegistry.builtIn();
    for (String type : catalogTypes) {
      assertThat(
              registry.handler(type).isPresent()
                  || NodeRegistry.EXECUTOR_SERVICE_TYPES.contains(type))
          .as(
              "%s is neither implemented in libs/engine nor listed as running in executor-service",
              type)
          .isTrue();
      assertThat(
              registry.handler(type).isPresent()
                  && NodeRegistry.EXECUTOR_SERVICE_TYPES.contains(type))
          .as("%s is both", type)
          .isFalse();
    }
    assertThat(catalogTypes)
        .containsAll(registry.types())
        .containsAll(NodeRegistry.EXECUTOR_SERVICE_TYPES);
  }

  @Test
  void builtInNodesAreInlineAndExecutorNodesAreNot() {
    NodeRegistry registry = NodeRegistry.builtIn();
    assertThat(registry.isInline("linkflow.set")).isTrue();
    assertThat(registry.isInline("linkflow.splitInBatches")).isTrue();
    assertThat(registry.isInline("linkflow.code")).isFalse();
    assertThat(registry.isInline("linkflow.httpRequest")).isFalse();
    assertThat(registry.isInline("linkflow.wait")).isFalse();
  }

  @Test
  void anExecutorNodeIsNotRunHere() {
    assertThatThrownBy(() -> exec("linkflow.code", "{}", List.of()))
        .isInstanceOf(NodeException.class)
        .hasMessage("node type linkflow.code is not run here");
  }

  @Test
  void expressionErrorNamesNodeParameterAndPosition() {
    assertThatThrownBy(
            () ->
                exec(
                    "linkflow.set",
                    "{'fields': [{'name': 'x', 'value': '{{ $foo(1) }}'}]}",
                    items("[{}]")))
        .isInstanceOfSatisfying(
            NodeException.class,
            e -> {
              assertThat(e.nodeId()).isEqualTo("n1");
              assertThat(e.parameter()).isEqualTo("/fields/0/value");
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage())
                  .startsWith("node \"My set\" (n1), parameter /fields/0/value, position 3: ");
            });
  }

  @Test
  void tooManyItemsOnAnOutputFail() {
    NodeRunner small =
        new NodeRunner(
            NodeRegistry.builtIn(),
            new NodeContext(
                EXPRESSIONS, Clock.systemUTC(), new Limits(3, 1024), Catalog.builtIn()));
    assertThat(small.run(run("linkflow.noOp", "{}", items("[{},{},{}]"))).output("main"))
        .hasSize(3);
    assertThatThrownBy(() -> small.run(run("linkflow.noOp", "{}", items("[{},{},{},{}]"))))
        .isInstanceOf(NodeException.class)
        .hasMessage("output has 4 items, more than the 3 limit");
  }

  @Test
  void anItemLargerThanTheLimitFails() {
    List<ObjectNode> items = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      items.add(obj("{}").put("data", i == 3 ? "x".repeat(1_500_000) : "small"));
    }
    assertThatThrownBy(() -> RUNNER.run(run("linkflow.noOp", "{}", items)))
        .isInstanceOf(NodeException.class)
        .hasMessage("output item 3 is 1.4 MiB, more than the 1 MiB limit");
  }

  @Test
  void anUnexpectedExceptionBecomesANodeExceptionNamingTheNode() {
    NodeHandler broken =
        new NodeHandler() {
          @Override
          public String type() {
            return "linkflow.noOp";
          }

          @Override
          public NodeResult run(NodeRun run, NodeContext context) {
            throw new IllegalStateException("boom");
          }
        };
    NodeRunner runner = new NodeRunner(NodeRegistry.builtIn().with(List.of(broken)), CONTEXT);
    assertThatThrownBy(() -> runner.run(run("linkflow.noOp", "{}", items("[{}]"))))
        .isInstanceOf(NodeException.class)
        .hasMessageContaining("node \"My noOp\" failed unexpectedly")
        .hasMessageContaining("boom");
    assertThat(runner.registry().isInline("linkflow.noOp")).isFalse();
  }

  @Test
  void schemaDefaultsAreFilledAtEveryLevel() {
    ObjectNode p =
        CONTEXT.withDefaults(
            run("linkflow.if", "{'conditions': [{'left': 1, 'right': 1}]}", List.of()));
    assertThat(p.get("combinator").asText()).isEqualTo("and");
    assertThat(p.get("ignoreCase").asBoolean()).isFalse();
    assertThat(p.at("/conditions/0/operator").asText()).isEqualTo("equals");
  }

  @Test
  void parametersResolvedOnceSeeTheFirstItem() {
    NodeRun run =
        run(
            "linkflow.limit",
            "{'maxItems': '{{ $json.n }}'}",
            Map.of("main", items("[{'n': 2}, {'n': 5}]")),
            null);
    assertThat(CONTEXT.parameters(run).get("maxItems").asInt()).isEqualTo(2);
  }
}
