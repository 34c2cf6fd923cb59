package io.linkflow.engine.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeRegistry;
import io.linkflow.engine.NodeRunner;
import io.linkflow.expressions.Expressions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireTest {

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) Wire.mapper().readTree(text);
  }

  @Test
  void aTaskSurvivesTheWireAndRunsWithItsScope() throws Exception {
    NodeTask task =
        new NodeTask(
            new NodeTask.TaskNode(
                "n2",
                "Shape",
                "linkflow.set",
                1,
                json(
                    "{\"mode\":\"manual\",\"fields\":[{\"name\":\"who\",\"type\":\"string\","
                        + "\"value\":\"{{ $node[\\\"Start\\\"].json.name & '@' & $execution.id"
                        + " & '/' & $vars.region }}\"}]}"),
                Map.of("httpBasicAuth", "c1"),
                30),
            Map.of("main", List.of(json("{\"a\":1}"))),
            Map.of("Start", List.<JsonNode>of(json("{\"name\":\"ada\"}"))),
            "e1",
            "manual",
            "w1",
            "Orders",
            "v1",
            "ws1",
            "Europe/Paris",
            null,
            Instant.parse("2026-11-23T10:00:00Z"));

    NodeTask back = Wire.read(Wire.write(task), NodeTask.class);

    assertThat(back).isEqualTo(task);
    assertThat(back.usesVariables()).isTrue();
    NodeRunner runner =
        new NodeRunner(NodeRegistry.builtIn(), NodeContext.defaults(new Expressions()));
    var result = runner.run(back.toNodeRun(Map.of("region", "eu")));
    assertThat(result.output("main").get(0).get("who").asText()).isEqualTo("ada@e1/eu");
    assertThat(result.output("main").get(0).get("a").asInt()).isEqualTo(1);
  }

  @Test
  void aFailureKeepsWhatTheEngineNeedsToDecide() {
    NodeException e =
        new NodeException("n1", "Fetch", "node \"Fetch\": 503", true, "/url", null, null);
    NodeOutcome back = Wire.read(Wire.write(NodeOutcome.failure(e)), NodeOutcome.class);
    assertThat(back.succeeded()).isFalse();
    assertThat(back.error().retryable()).isTrue();
    assertThat(back.error().kind()).isEqualTo(NodeOutcome.NODE);
    assertThat(back.error().parameter()).isEqualTo("/url");
    assertThat(back.error().message()).contains("503");
  }
}
