package io.linkflow.execution.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeRegistry;
import io.linkflow.engine.NodeRunner;
import io.linkflow.engine.wire.NodeOutcome;
import io.linkflow.engine.wire.Wire;
import io.linkflow.expressions.Expressions;
import io.linkflow.nodes.Catalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The state machine without I/O: what runs inline, what is dispatched, and every transition. */
class OrchestratorTest {

  static final ObjectMapper JSON = Wire.mapper();

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  final TestClock clock = new TestClock();
  final Orchestrator orchestrator =
      new Orchestrator(
          new NodeRunner(
              NodeRegistry.builtIn(),
              new NodeContext(
                  new Expressions(),
                  clock,
                  io.linkflow.engine.Limits.defaults(),
                  Catalog.builtIn())),
          clock,
          Orchestrator.Config.defaults(),
          new Random(7));

  Orchestrator.Run run(Graph graph) {
    return new Orchestrator.Run(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "manual",
        graph,
        new ExecState(),
        clock.instant().plusSeconds(3600),
        Map.of());
  }

  static List<ObjectNode> items(String json) {
    try {
      return JSON.readerForListOf(ObjectNode.class).readValue(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static final String SET_TOTAL =
      "{\"mode\":\"manual\",\"fields\":[{\"name\":\"total\",\"type\":\"number\","
          + "\"value\":\"{{ $json.price * $json.qty }}\"}]}";
  static final String IF_BIG =
      "{\"conditions\":[{\"left\":\"{{ $json.total }}\",\"operator\":\"greaterThan\","
          + "\"right\":100}]}";

  @Test
  void pureNodesRunInlineAndTheExecutionSucceedsInOneStep() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("s", "set", SET_TOTAL);
    wf.node("i", "if", IF_BIG);
    wf.edge("t", "s").edge("s", "i");
    Orchestrator.Run run = run(wf.graph());

    Effects fx =
        orchestrator.start(run, items("[{\"price\":30,\"qty\":4},{\"price\":5,\"qty\":1}]"), null);

    assertThat(fx.status).isEqualTo("succeeded");
    assertThat(fx.dispatches).isEmpty();
    assertThat(fx.inserts).extracting(Effects.NodeRunRecord::nodeId).containsExactly("t", "s", "i");
    Effects.NodeRunRecord ifRun = fx.inserts.get(2);
    assertThat(ifRun.output().get("true")).hasSize(1);
    assertThat(ifRun.output().get("true").get(0).get("total").asInt()).isEqualTo(120);
    assertThat(ifRun.output().get("false").get(0).get("total").asInt()).isEqualTo(5);
    assertThat(run.state().outputs.get("S")).hasSize(2);
  }

  @Test
  void anIoNodeIsDispatchedAndItsResultAdvancesTheExecutionOnce() throws Exception {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("h", "httpRequest", "{\"url\":\"https://example.com/{{ $json.id }}\"}");
    wf.node("s", "set", SET_TOTAL);
    wf.edge("t", "h").edge("h", "s");
    Orchestrator.Run run = run(wf.graph());

    Effects started = orchestrator.start(run, items("[{\"id\":1}]"), null);
    assertThat(started.status).isEqualTo("running");
    assertThat(started.dispatches).hasSize(1);
    Effects.Dispatch d = started.dispatches.get(0);
    assertThat(d.task().node().type()).isEqualTo("linkflow.httpRequest");
    assertThat(d.task().inputs().get("main").get(0).get("id").asInt()).isEqualTo(1);
    assertThat(d.task().nodes()).containsKey("T");
    assertThat(d.deadline()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    assertThat(started.wakeAt).isEqualTo(d.deadline().plusSeconds(15));

    NodeOutcome ok =
        new NodeOutcome(Map.of("main", items("[{\"price\":2,\"qty\":3}]")), null, null);
    Effects done = orchestrator.onResult(run, d.nodeRunId(), 1, ok, clock.instant());
    assertThat(done.status).isEqualTo("succeeded");
    assertThat(done.updates)
        .singleElement()
        .extracting(Effects.NodeRunRecord::status)
        .isEqualTo("succeeded");
    assertThat(done.inserts.get(0).output().get("main").get(0).get("total").asInt()).isEqualTo(6);

    Effects again = orchestrator.onResult(run, d.nodeRunId(), 1, ok, clock.instant());
    assertThat(again.changed).isFalse();
    assertThat(again.inserts).isEmpty();
  }

  @Test
  void aDuplicateResultKeepsTheTimersOfWorkStillInFlight() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("a", "httpRequest", "{\"url\":\"https://example.com/a\"}");
    wf.node("b", "httpRequest", "{\"url\":\"https://example.com/b\"}");
    wf.edge("t", "a").edge("a", "b");
    Orchestrator.Run run = run(wf.graph());
    Effects.Dispatch a = orchestrator.start(run, items("[{}]"), null).dispatches.get(0);
    NodeOutcome ok = new NodeOutcome(Map.of("main", items("[{\"n\":1}]")), null, null);
    clock.advance(Duration.ofSeconds(1));
    Effects afterA = orchestrator.onResult(run, a.nodeRunId(), 1, ok, clock.instant());
    Effects.Dispatch b = afterA.dispatches.get(0);
    assertThat(afterA.wakeAt).isEqualTo(b.deadline().plusSeconds(15));

    // A's result delivered again while B runs: nothing changes, B's lease timer included
    Effects again = orchestrator.onResult(run, a.nodeRunId(), 1, ok, clock.instant());
    assertThat(again.changed).isFalse();
    assertThat(again.wakeAt).isEqualTo(afterA.wakeAt);
    assertThat(again.status).isEqualTo("running");
  }

  @Test
  void aRetryableFailureIsRetriedAfterABackoffThenFailsTheExecution() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("h", "httpRequest", "{\"url\":\"https://example.com\"}")
        .putObject("retry")
        .put("maxAttempts", 3)
        .put("delaySeconds", 2);
    wf.edge("t", "h");
    Orchestrator.Run run = run(wf.graph());
    Effects.Dispatch first = orchestrator.start(run, items("[{}]"), null).dispatches.get(0);

    NodeOutcome unavailable = NodeOutcome.failure("HTTP 503", NodeOutcome.NODE, true);
    Effects afterFirst = orchestrator.onResult(run, first.nodeRunId(), 1, unavailable, null);
    assertThat(afterFirst.status).isEqualTo("running");
    assertThat(afterFirst.dispatches).isEmpty();
    // 2 s ± 20 %
    assertThat(Duration.between(clock.instant(), afterFirst.wakeAt))
        .isBetween(Duration.ofMillis(1600), Duration.ofMillis(2400));

    clock.now = afterFirst.wakeAt;
    Effects second = orchestrator.onTimers(run);
    assertThat(second.dispatches)
        .singleElement()
        .extracting(Effects.Dispatch::attempt)
        .isEqualTo(2);
    assertThat(second.inserts)
        .singleElement()
        .extracting(Effects.NodeRunRecord::attempt)
        .isEqualTo(2);

    Effects afterSecond =
        orchestrator.onResult(run, second.dispatches.get(0).nodeRunId(), 2, unavailable, null);
    // exponential: 4 s ± 20 %
    assertThat(Duration.between(clock.instant(), afterSecond.wakeAt))
        .isBetween(Duration.ofMillis(3200), Duration.ofMillis(4800));
    clock.now = afterSecond.wakeAt;
    Effects third = orchestrator.onTimers(run);
    Effects end =
        orchestrator.onResult(run, third.dispatches.get(0).nodeRunId(), 3, unavailable, null);
    assertThat(end.status).isEqualTo("failed");
    assertThat(end.error.get("message").asText()).isEqualTo("HTTP 503");
    assertThat(end.error.get("nodeId").asText()).isEqualTo("h");
    assertThat(run.state().interrupted)
        .singleElement()
        .extracting(ExecState.Activation::nodeId)
        .isEqualTo("h");
  }

  @Test
  void aNonRetryableFailureIsNotRetriedAndContinueOnFailPassesTheErrorOn() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("x", "stopAndError", "{\"message\":\"bad order {{ $json.id }}\"}")
        .put("continueOnFail", true)
        .putObject("retry")
        .put("maxAttempts", 5);
    wf.node("s", "noOp", "{}");
    wf.edge("t", "x").edge("x", "s");
    Orchestrator.Run run = run(wf.graph());

    Effects fx = orchestrator.start(run, items("[{\"id\":9}]"), null);

    assertThat(fx.status).isEqualTo("succeeded");
    assertThat(fx.inserts)
        .extracting(Effects.NodeRunRecord::status)
        .containsExactly("succeeded", "failed", "succeeded");
    assertThat(fx.inserts.get(2).output().get("main").get(0).at("/error/message").asText())
        .isEqualTo("bad order 9");
  }

  @Test
  void aMergeWaitsForBothBranchesAndRunsWhenTheUntakenSideCanNoLongerDeliver() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("i", "if", IF_BIG);
    wf.node("h", "httpRequest", "{\"url\":\"https://example.com\"}");
    wf.node("m", "merge", "{\"mode\":\"append\"}");
    wf.edge("t", "i").edge("i", "true", "h", "main").edge("h", "main", "m", "input1");
    wf.edge("i", "false", "m", "input2");
    Orchestrator.Run run = run(wf.graph());

    Effects fx = orchestrator.start(run, items("[{\"total\":500},{\"total\":1}]"), null);
    assertThat(fx.dispatches).hasSize(1);
    assertThat(fx.inserts).extracting(Effects.NodeRunRecord::nodeId).doesNotContain("m");
    assertThat(run.state().merges.get("m")).containsOnlyKeys("input2");

    Effects done =
        orchestrator.onResult(
            run,
            fx.dispatches.get(0).nodeRunId(),
            1,
            new NodeOutcome(Map.of("main", items("[{\"fetched\":true}]")), null, null),
            null);
    assertThat(done.status).isEqualTo("succeeded");
    Effects.NodeRunRecord merge = done.inserts.get(0);
    assertThat(merge.nodeId()).isEqualTo("m");
    assertThat(merge.output().get("main")).hasSize(2);
    assertThat(merge.output().get("main").get(0).has("fetched")).isTrue();

    // only the false side taken: the merge runs with input2 alone, without waiting forever
    Orchestrator.Run small = run(wf.graph());
    Effects alone = orchestrator.start(small, items("[{\"total\":1}]"), null);
    assertThat(alone.status).isEqualTo("succeeded");
    assertThat(alone.inserts)
        .extracting(Effects.NodeRunRecord::nodeId)
        .containsExactly("t", "i", "m");
  }

  @Test
  void aLoopRunsItsBodyPerBatchAndEmitsEverythingOnDone() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("l", "splitInBatches", "{\"batchSize\":2}");
    wf.node(
        "b",
        "set",
        "{\"mode\":\"manual\",\"fields\":[{\"name\":\"seen\",\"type\":\"boolean\",\"value\":true}]}");
    wf.node("d", "noOp", "{}");
    wf.edge("t", "l").edge("l", "loop", "b", "main").edge("b", "l").edge("l", "done", "d", "main");
    Orchestrator.Run run = run(wf.graph());

    Effects fx =
        orchestrator.start(run, items("[{\"n\":1},{\"n\":2},{\"n\":3},{\"n\":4},{\"n\":5}]"), null);

    assertThat(fx.status).isEqualTo("succeeded");
    List<ObjectNode> done =
        fx.inserts.stream()
            .filter(r -> r.nodeId().equals("d"))
            .findFirst()
            .orElseThrow()
            .output()
            .get("main");
    assertThat(done).hasSize(5).allMatch(i -> i.get("seen").asBoolean());
    assertThat(fx.inserts.stream().filter(r -> r.nodeId().equals("b"))).hasSize(3);
    assertThat(run.state().loops).isEmpty();
  }

  @Test
  void aWaitHoldsNoDispatchAndResumesWhenDue() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("w", "wait", "{\"resume\":\"duration\",\"amount\":90,\"unit\":\"seconds\"}");
    wf.node("s", "noOp", "{}");
    wf.edge("t", "w").edge("w", "s");
    Orchestrator.Run run = run(wf.graph());

    Effects fx = orchestrator.start(run, items("[{\"a\":1}]"), null);
    assertThat(fx.status).isEqualTo("waiting");
    assertThat(fx.dispatches).isEmpty();
    assertThat(fx.wakeAt).isEqualTo(clock.instant().plusSeconds(90));

    clock.advance(Duration.ofSeconds(30));
    Effects early = orchestrator.onTimers(run);
    assertThat(early.changed).isFalse();
    assertThat(early.status).isEqualTo("waiting");

    clock.advance(Duration.ofSeconds(60));
    Effects resumed = orchestrator.onTimers(run);
    assertThat(resumed.status).isEqualTo("succeeded");
    assertThat(resumed.inserts.get(0).output().get("main").get(0).get("a").asInt()).isEqualTo(1);
  }

  @Test
  void aLostCommandIsSentAgainAfterItsLeaseThenTheNodeFails() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("c", "code", "{\"code\":\"return items\"}").put("timeoutSeconds", 10);
    wf.edge("t", "c");
    Orchestrator.Run run = run(wf.graph());
    Effects fx = orchestrator.start(run, items("[{}]"), null);
    UUID nodeRun = fx.dispatches.get(0).nodeRunId();
    UUID firstCommand = fx.dispatches.get(0).commandId();

    for (int i = 1; i <= 3; i++) {
      clock.advance(Duration.ofSeconds(26));
      Effects again = orchestrator.onTimers(run);
      assertThat(again.dispatches)
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.nodeRunId()).isEqualTo(nodeRun);
                assertThat(d.commandId()).isNotEqualTo(firstCommand);
                assertThat(d.attempt()).isEqualTo(1);
              });
    }
    clock.advance(Duration.ofSeconds(26));
    Effects lost = orchestrator.onTimers(run);
    assertThat(lost.status).isEqualTo("failed");
    assertThat(lost.error.get("kind").asText()).isEqualTo("lost");
  }

  @Test
  void cancelAbortsWhatRunsAndTheDeadlineTimesTheExecutionOut() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("h", "httpRequest", "{\"url\":\"https://example.com\"}");
    wf.edge("t", "h");
    Orchestrator.Run run = run(wf.graph());
    Effects fx = orchestrator.start(run, items("[{}]"), null);

    Effects cancelled = orchestrator.cancel(run);
    assertThat(cancelled.status).isEqualTo("cancelled");
    assertThat(cancelled.aborts)
        .singleElement()
        .extracting(Effects.Abort::nodeRunId)
        .isEqualTo(fx.dispatches.get(0).nodeRunId());
    assertThat(cancelled.updates)
        .singleElement()
        .extracting(Effects.NodeRunRecord::status)
        .isEqualTo("cancelled");
    // a late result changes nothing
    assertThat(
            orchestrator.onResult(
                    run,
                    fx.dispatches.get(0).nodeRunId(),
                    1,
                    new NodeOutcome(Map.of("main", items("[{}]")), null, null),
                    null)
                .changed)
        .isFalse();

    Orchestrator.Run slow = run(wf.graph());
    orchestrator.start(slow, items("[{}]"), null);
    clock.advance(Duration.ofSeconds(3601));
    Effects timedOut = orchestrator.onTimers(slow);
    assertThat(timedOut.status).isEqualTo("timed_out");
    assertThat(timedOut.aborts).hasSize(1);
  }

  @Test
  void executeWorkflowRequestsChildrenAndOutputsWhatTheyGave() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("x", "executeWorkflow", "{\"workflowId\":\"{{ $json.wf }}\",\"mode\":\"eachItem\"}");
    wf.edge("t", "x");
    Orchestrator.Run run = run(wf.graph());
    Effects fx = orchestrator.start(run, items("[{\"wf\":\"w-1\"},{\"wf\":\"w-1\"}]"), null);
    assertThat(fx.status).isEqualTo("waiting");
    assertThat(fx.children).hasSize(2).allMatch(c -> c.workflowId().equals("w-1"));
    UUID nodeRun = fx.children.get(0).parentNodeRunId();

    Effects one =
        orchestrator.onChildFinished(
            run,
            nodeRun,
            fx.children.get(1).childExecutionId(),
            "succeeded",
            items("[{\"r\":2}]"),
            null);
    assertThat(one.status).isEqualTo("waiting");
    Effects both =
        orchestrator.onChildFinished(
            run,
            nodeRun,
            fx.children.get(0).childExecutionId(),
            "succeeded",
            items("[{\"r\":1}]"),
            null);
    assertThat(both.status).isEqualTo("succeeded");
    assertThat(both.updates.get(0).output().get("main"))
        .extracting(i -> i.get("r").asInt())
        .containsExactly(1, 2);

    Orchestrator.Run failing = run(wf.graph());
    Effects f2 = orchestrator.start(failing, items("[{\"wf\":\"w\"},{\"wf\":\"w\"}]"), null);
    Effects failed =
        orchestrator.onChildFinished(
            failing,
            f2.children.get(0).parentNodeRunId(),
            f2.children.get(0).childExecutionId(),
            "failed",
            null,
            "boom");
    assertThat(failed.status).isEqualTo("failed");
    assertThat(failed.error.get("message").asText()).contains("failed: boom");
    assertThat(failed.cancelChildren).containsExactly(f2.children.get(1).childExecutionId());
  }

  @Test
  void anExpressionErrorNamesTheNodeAndTheParameter() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node(
        "s",
        "set",
        "{\"mode\":\"manual\",\"fields\":[{\"name\":\"x\",\"value\":\"{{ $json.a + }}\"}]}");
    wf.edge("t", "s");
    Effects fx = orchestrator.start(run(wf.graph()), items("[{}]"), null);
    assertThat(fx.status).isEqualTo("failed");
    assertThat(fx.error.get("nodeId").asText()).isEqualTo("s");
    assertThat(fx.error.get("parameter").asText()).isEqualTo("/fields/0/value");
    assertThat(fx.error.get("message").asText()).contains("S").contains("/fields/0/value");
  }

  @Test
  void theStateSurvivesJson() throws Exception {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("h", "httpRequest", "{\"url\":\"https://example.com\"}");
    wf.edge("t", "h");
    Orchestrator.Run run = run(wf.graph());
    Effects fx = orchestrator.start(run, items("[{\"a\":1}]"), null);
    ExecState back = JSON.readValue(JSON.writeValueAsString(run.state()), ExecState.class);
    Orchestrator.Run reloaded =
        new Orchestrator.Run(
            run.executionId(),
            run.workspaceId(),
            "manual",
            run.graph(),
            back,
            run.deadline(),
            Map.of());
    Effects done =
        orchestrator.onResult(
            reloaded,
            fx.dispatches.get(0).nodeRunId(),
            1,
            new NodeOutcome(Map.of("main", items("[{}]")), null, null),
            null);
    assertThat(done.status).isEqualTo("succeeded");
  }
}
