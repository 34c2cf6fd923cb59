package io.linkflow.execution.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.common.Ids;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeResult;
import io.linkflow.engine.NodeRun;
import io.linkflow.engine.NodeRunner;
import io.linkflow.engine.nodes.RespondToWebhookHandler;
import io.linkflow.engine.wire.NodeOutcome;
import io.linkflow.engine.wire.NodeTask;
import io.linkflow.execution.engine.ExecState.Activation;
import io.linkflow.execution.engine.ExecState.Step;
import io.linkflow.execution.engine.Graph.Edge;
import io.linkflow.execution.engine.Graph.NodeDef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The execution state machine, without I/O: given an execution's graph and {@link ExecState} and
 * one thing that happened (start, a node result, timers, a sub-workflow finishing, cancel), it
 * changes the state and says what to persist and publish ({@link Effects}). Pure nodes run here,
 * inline; the others become commands for executors. The caller holds the execution's row lock.
 */
public final class Orchestrator {

  public static final String RUNNING = "running";
  public static final String WAITING = "waiting";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";
  public static final String TIMED_OUT = "timed_out";

  static final String WAIT_TYPE = "linkflow.wait";
  static final String EXECUTE_WORKFLOW_TYPE = "linkflow.executeWorkflow";
  static final String LOOP_TYPE = "linkflow.splitInBatches";

  /**
   * Limits and timings.
   *
   * @param defaultNodeTimeout a dispatched node's deadline when the node sets none
   * @param leaseGrace how long after a node's deadline a missing result counts as lost
   * @param maxRedispatches how often a lost command is sent again before the node fails
   * @param maxNodeRuns node runs per execution (attempts included) before it fails
   * @param maxRetryDelay the longest wait between attempts
   */
  public record Config(
      Duration defaultNodeTimeout,
      Duration leaseGrace,
      int maxRedispatches,
      int maxNodeRuns,
      Duration maxRetryDelay) {

    public static Config defaults() {
      return new Config(
          Duration.ofMinutes(5), Duration.ofSeconds(15), 3, 10_000, Duration.ofHours(1));
    }
  }

  /**
   * One execution as the orchestrator sees it.
   *
   * @param deadline when the execution times out
   * @param vars {@code $vars} for nodes run inline (empty when the graph does not use them)
   */
  public record Run(
      UUID executionId,
      UUID workspaceId,
      String mode,
      Graph graph,
      ExecState state,
      Instant deadline,
      Map<String, String> vars) {}

  private final NodeRunner runner;
  private final Clock clock;
  private final Config config;
  private final RandomGenerator random;

  public Orchestrator(NodeRunner runner, Clock clock, Config config, RandomGenerator random) {
    this.runner = runner;
    this.clock = clock;
    this.config = config;
    this.random = random;
  }

  public Config config() {
    return config;
  }

  /** Starts at the trigger (the one named, else the mode's) with the trigger's items. */
  public Effects start(Run run, List<ObjectNode> triggerItems, String triggerNodeId) {
    Effects fx = changed();
    run.state().now = clock.instant();
    var start = run.graph().startNode(run.mode(), triggerNodeId);
    if (start.isEmpty()) {
      stop(run, fx, FAILED, error("the workflow has no enabled trigger to start from", null));
      return fx;
    }
    run.state().ready.add(new Activation(start.get().id(), Map.of("main", triggerItems)));
    return advance(run, fx);
  }

  /** Starts again from activations saved when an earlier execution stopped (retry). */
  public Effects resume(Run run, List<Activation> from) {
    Effects fx = changed();
    run.state().now = clock.instant();
    run.state().ready.addAll(from);
    return advance(run, fx);
  }

  /**
   * An executor's result; a duplicate or stale one (unknown run, other attempt) changes nothing.
   */
  public Effects onResult(
      Run run, UUID nodeRunId, int attempt, NodeOutcome outcome, Instant startedAt) {
    Step step = run.state().active.get(nodeRunId);
    if (step == null || !ExecState.DISPATCHED.equals(step.kind) || step.attempt != attempt) {
      return unchanged(run);
    }
    Effects fx = changed();
    run.state().active.remove(nodeRunId);
    NodeDef node = run.graph().node(step.nodeId);
    Instant now = clock.instant();
    Instant began = startedAt == null ? step.startedAt : startedAt;
    if (outcome.succeeded()) {
      NodeResult result = outcome.toResult();
      fx.updates.add(record(nodeRunId, node, step, SUCCEEDED, result.outputs(), null, began, now));
      complete(run, fx, node, result);
    } else {
      ObjectNode error = error(outcome.error(), node);
      fx.updates.add(record(nodeRunId, node, step, FAILED, null, error, began, now));
      failed(run, fx, node, step, outcome.error().retryable(), error);
      if (isTerminal(fx.status)) {
        return fx;
      }
    }
    return advance(run, fx);
  }

  /** Handles what is due: the execution's deadline, retry delays, waits, lost commands. */
  public Effects onTimers(Run run) {
    Instant now = clock.instant();
    ExecState state = run.state();
    if (run.deadline() != null && !now.isBefore(run.deadline())) {
      Effects fx = changed();
      long seconds = run.graph().settings().executionTimeoutSeconds();
      stop(run, fx, TIMED_OUT, error("the execution ran longer than its " + seconds + " s", null));
      return fx;
    }
    Effects fx = new Effects();
    for (Map.Entry<UUID, Step> e : List.copyOf(state.active.entrySet())) {
      Step step = e.getValue();
      if (step.dueAt == null || now.isBefore(step.dueAt)) {
        continue;
      }
      fx.changed = true;
      NodeDef node = run.graph().node(step.nodeId);
      switch (step.kind) {
        case ExecState.DELAY -> {
          state.active.remove(e.getKey());
          dispatch(run, fx, node, step.inputs, step.attempt, step.runIndex);
        }
        case ExecState.WAIT -> {
          state.active.remove(e.getKey());
          NodeResult passed = NodeResult.main(step.inputs.getOrDefault("main", List.of()));
          fx.updates.add(
              record(
                  e.getKey(), node, step, SUCCEEDED, passed.outputs(), null, step.startedAt, now));
          complete(run, fx, node, passed);
        }
        case ExecState.DISPATCHED -> {
          if (step.redispatches < config.maxRedispatches()) {
            step.redispatches++;
            step.commandId = Ids.newId();
            Instant deadline = now.plus(timeout(node));
            step.dueAt = deadline.plus(config.leaseGrace());
            fx.dispatches.add(
                new Effects.Dispatch(
                    step.commandId,
                    e.getKey(),
                    step.attempt,
                    deadline,
                    task(run, node, step.inputs)));
          } else {
            state.active.remove(e.getKey());
            ObjectNode error =
                error(
                    "no result from an executor after "
                        + (step.redispatches + 1)
                        + " dispatches; the node's work is considered lost",
                    node);
            error.put("kind", "lost");
            fx.updates.add(
                record(e.getKey(), node, step, FAILED, null, error, step.startedAt, now));
            failed(run, fx, node, step, true, error);
            if (isTerminal(fx.status)) {
              return fx;
            }
          }
        }
        default -> {
          // sub-workflows have no timer of their own: the execution deadline covers them
        }
      }
    }
    if (!fx.changed) {
      return unchanged(run);
    }
    return advance(run, fx);
  }

  /** A sub-workflow started by an Execute Workflow node finished. */
  public Effects onChildFinished(
      Run run,
      UUID nodeRunId,
      UUID childExecutionId,
      String childStatus,
      List<ObjectNode> output,
      String childError) {
    Step step = run.state().active.get(nodeRunId);
    if (step == null
        || !ExecState.CHILDREN.equals(step.kind)
        || step.children == null
        || !step.children.contains(childExecutionId)
        || (step.childOutputs != null && step.childOutputs.containsKey(childExecutionId))) {
      return unchanged(run);
    }
    Effects fx = changed();
    NodeDef node = run.graph().node(step.nodeId);
    Instant now = clock.instant();
    if (!SUCCEEDED.equals(childStatus)) {
      run.state().active.remove(nodeRunId);
      ObjectNode error =
          error(
              "sub-workflow execution "
                  + childExecutionId
                  + " "
                  + childStatus
                  + (childError == null ? "" : ": " + childError),
              node);
      error.put("childExecutionId", childExecutionId.toString());
      fx.updates.add(record(nodeRunId, node, step, FAILED, null, error, step.startedAt, now));
      step.children.stream()
          .filter(c -> !c.equals(childExecutionId))
          .filter(c -> step.childOutputs == null || !step.childOutputs.containsKey(c))
          .forEach(fx.cancelChildren::add);
      failed(run, fx, node, step, false, error);
      if (isTerminal(fx.status)) {
        return fx;
      }
      return advance(run, fx);
    }
    if (step.childOutputs == null) {
      step.childOutputs = new LinkedHashMap<>();
    }
    step.childOutputs.put(childExecutionId, output == null ? List.of() : List.copyOf(output));
    if (step.childOutputs.size() < step.children.size()) {
      fx.status = status(run);
      fx.wakeAt = wakeAt(run);
      return fx;
    }
    run.state().active.remove(nodeRunId);
    List<ObjectNode> items = new ArrayList<>();
    for (UUID child : step.children) {
      items.addAll(step.childOutputs.get(child));
    }
    NodeResult result = NodeResult.main(items);
    fx.updates.add(
        record(nodeRunId, node, step, SUCCEEDED, result.outputs(), null, step.startedAt, now));
    complete(run, fx, node, result);
    return advance(run, fx);
  }

  /** Cancels: nothing more is dispatched, running nodes are told to stop. */
  public Effects cancel(Run run) {
    Effects fx = changed();
    stop(run, fx, CANCELLED, null);
    return fx;
  }

  /** Fails the execution from outside (its data broke a limit, its version is gone). */
  public Effects fail(Run run, String message) {
    Effects fx = changed();
    stop(run, fx, FAILED, error(message, null));
    return fx;
  }

  public static boolean isTerminal(String status) {
    return SUCCEEDED.equals(status)
        || FAILED.equals(status)
        || CANCELLED.equals(status)
        || TIMED_OUT.equals(status);
  }

  // ---------------------------------------------------------------------------------------------

  private Effects advance(Run run, Effects fx) {
    ExecState state = run.state();
    while (true) {
      while (!state.ready.isEmpty()) {
        if (state.nodeRuns >= config.maxNodeRuns()) {
          stop(
              run,
              fx,
              FAILED,
              error(
                  "the execution ran more than "
                      + config.maxNodeRuns()
                      + " nodes (a loop that does not end?)",
                  null));
          return fx;
        }
        Activation next = state.ready.remove(0);
        execute(run, fx, next);
        if (isTerminal(fx.status)) {
          return fx;
        }
      }
      if (fireMerges(run) || (state.active.isEmpty() && resumeStalledLoop(run))) {
        continue;
      }
      break;
    }
    fx.status = status(run);
    fx.wakeAt = wakeAt(run);
    return fx;
  }

  private void execute(Run run, Effects fx, Activation activation) {
    ExecState state = run.state();
    NodeDef node = run.graph().node(activation.nodeId());
    if (node.disabled()) {
      List<ObjectNode> through =
          new ArrayList<>(activation.inputs().getOrDefault("main", List.of()));
      if (through.isEmpty()) {
        activation.inputs().values().forEach(through::addAll);
      }
      complete(run, fx, node, new NodeResult(Map.of(node.firstOutput(), through), null));
      return;
    }
    int runIndex = state.runs.merge(node.id(), 1, Integer::sum) - 1;
    switch (node.type()) {
      case WAIT_TYPE -> startWait(run, fx, node, activation.inputs(), runIndex);
      case EXECUTE_WORKFLOW_TYPE -> startChildren(run, fx, node, activation.inputs(), runIndex);
      default -> {
        if (runner.registry().isInline(node.type())) {
          runInline(run, fx, node, activation.inputs(), runIndex);
        } else {
          dispatch(run, fx, node, activation.inputs(), 1, runIndex);
        }
      }
    }
  }

  private void runInline(
      Run run, Effects fx, NodeDef node, Map<String, List<ObjectNode>> inputs, int runIndex) {
    ExecState state = run.state();
    state.nodeRuns++;
    UUID id = Ids.newId();
    Instant began = clock.instant();
    Step step = new Step(ExecState.DISPATCHED, node.id(), 1, runIndex, inputs);
    try {
      NodeResult result = runner.run(nodeRun(run, node, inputs));
      fx.inserts.add(
          record(id, node, step, SUCCEEDED, result.outputs(), null, began, clock.instant()));
      complete(run, fx, node, result);
    } catch (NodeException e) {
      ObjectNode error = error(e.getMessage(), node);
      if (e.parameter() != null) {
        error.put("parameter", e.parameter());
      }
      if (e.details() != null) {
        error.set("details", e.details());
      }
      error.put("kind", NodeOutcome.NODE);
      fx.inserts.add(record(id, node, step, FAILED, null, error, began, clock.instant()));
      failed(run, fx, node, step, e.retryable(), error);
    }
  }

  private void dispatch(
      Run run,
      Effects fx,
      NodeDef node,
      Map<String, List<ObjectNode>> inputs,
      int attempt,
      int runIndex) {
    ExecState state = run.state();
    state.nodeRuns++;
    UUID id = Ids.newId();
    Instant now = clock.instant();
    Instant deadline = now.plus(timeout(node));
    Step step = new Step(ExecState.DISPATCHED, node.id(), attempt, runIndex, inputs);
    step.commandId = Ids.newId();
    step.dueAt = deadline.plus(config.leaseGrace());
    step.startedAt = now;
    state.active.put(id, step);
    fx.inserts.add(record(id, node, step, RUNNING, null, null, now, null));
    fx.dispatches.add(
        new Effects.Dispatch(step.commandId, id, attempt, deadline, task(run, node, inputs)));
  }

  private void startWait(
      Run run, Effects fx, NodeDef node, Map<String, List<ObjectNode>> inputs, int runIndex) {
    ExecState state = run.state();
    state.nodeRuns++;
    UUID id = Ids.newId();
    Instant now = clock.instant();
    Step step = new Step(ExecState.WAIT, node.id(), 1, runIndex, inputs);
    step.startedAt = now;
    try {
      NodeRun nodeRun = nodeRun(run, node, inputs);
      ObjectNode p = runner.context().parameters(nodeRun);
      step.dueAt = resumeAt(nodeRun, p, now, ZoneId.of(run.graph().settings().timezone()));
    } catch (NodeException e) {
      ObjectNode error = error(e.getMessage(), node);
      if (e.parameter() != null) {
        error.put("parameter", e.parameter());
      }
      fx.inserts.add(record(id, node, step, FAILED, null, error, now, now));
      failed(run, fx, node, step, false, error);
      return;
    }
    state.active.put(id, step);
    fx.inserts.add(record(id, node, step, WAITING, null, null, now, null));
  }

  static Instant resumeAt(NodeRun run, ObjectNode p, Instant now, ZoneId zone) {
    String resume = p.path("resume").asText("duration");
    switch (resume) {
      case "duration" -> {
        JsonNode amount = p.get("amount");
        if (amount == null || !amount.isNumber() || amount.asDouble() <= 0) {
          throw NodeException.parameter(
              run, "/amount", "a positive number of " + unit(p) + " is needed");
        }
        double seconds =
            amount.asDouble()
                * switch (unit(p)) {
                  case "minutes" -> 60;
                  case "hours" -> 3600;
                  case "days" -> 86_400;
                  default -> 1;
                };
        return now.plusMillis(Math.round(seconds * 1000));
      }
      case "until" -> {
        String until = p.path("until").asText("");
        try {
          return OffsetDateTime.parse(until).toInstant();
        } catch (DateTimeParseException offsetless) {
          try {
            return LocalDateTime.parse(until).atZone(zone).toInstant();
          } catch (DateTimeParseException e) {
            throw NodeException.parameter(
                run, "/until", "\"" + until + "\" is not an ISO-8601 date-time");
          }
        }
      }
      default ->
          throw NodeException.parameter(
              run, "/resume", "resuming by webhook call is not available in this release");
    }
  }

  private static String unit(ObjectNode p) {
    return p.path("unit").asText("seconds");
  }

  private void startChildren(
      Run run, Effects fx, NodeDef node, Map<String, List<ObjectNode>> inputs, int runIndex) {
    ExecState state = run.state();
    state.nodeRuns++;
    UUID id = Ids.newId();
    Instant now = clock.instant();
    Step step = new Step(ExecState.CHILDREN, node.id(), 1, runIndex, inputs);
    step.startedAt = now;
    List<ObjectNode> items = inputs.getOrDefault("main", List.of());
    ObjectNode p;
    try {
      p = runner.context().parameters(nodeRun(run, node, inputs));
    } catch (NodeException e) {
      ObjectNode error = error(e.getMessage(), node);
      fx.inserts.add(record(id, node, step, FAILED, null, error, now, now));
      failed(run, fx, node, step, false, error);
      return;
    }
    String workflowId = p.path("workflowId").asText("");
    boolean waitFor = p.path("waitForCompletion").asBoolean(true);
    List<List<ObjectNode>> batches = new ArrayList<>();
    if ("eachItem".equals(p.path("mode").asText("once"))) {
      items.forEach(item -> batches.add(List.of(item)));
    } else {
      batches.add(items.isEmpty() ? List.of(JsonNodeFactory.instance.objectNode()) : items);
    }
    List<UUID> children = new ArrayList<>();
    for (List<ObjectNode> batch : batches) {
      UUID child = Ids.newId();
      children.add(child);
      fx.children.add(new Effects.ChildRequest(child, waitFor ? id : null, workflowId, batch));
    }
    if (!waitFor || children.isEmpty()) {
      NodeResult passed = NodeResult.main(items);
      fx.inserts.add(record(id, node, step, SUCCEEDED, passed.outputs(), null, now, now));
      complete(run, fx, node, passed);
      return;
    }
    step.children = children;
    state.active.put(id, step);
    fx.inserts.add(record(id, node, step, RUNNING, null, null, now, null));
  }

  /** A node finished: remember its output and hand its items on along the edges. */
  private void complete(Run run, Effects fx, NodeDef node, NodeResult result) {
    ExecState state = run.state();
    if (RespondToWebhookHandler.TYPE.equals(node.type())
        && result.state() != null
        && !state.responded) {
      state.responded = true; // the first Respond to Webhook node answers; later ones do not
      fx.response = result.state();
    }
    if (LOOP_TYPE.equals(node.type())) {
      if (result.state() == null || result.state().isNull()) {
        state.loops.remove(node.id());
      } else {
        state.loops.put(node.id(), result.state());
      }
    }
    List<ObjectNode> shown = result.outputs().getOrDefault("main", null);
    if (shown == null) {
      shown =
          result.outputs().values().stream()
              .filter(l -> !l.isEmpty())
              .findFirst()
              .orElse(List.of());
    }
    state.outputs.put(node.name(), List.copyOf(shown));
    state.lastOutput = new ArrayList<>(shown);
    for (Map.Entry<String, List<ObjectNode>> out : result.outputs().entrySet()) {
      if (out.getValue().isEmpty()) {
        continue;
      }
      for (Edge edge : run.graph().outgoing(node.id())) {
        if (edge.fromPort().equals(out.getKey())) {
          deliver(run, edge, out.getValue());
        }
      }
    }
  }

  private void deliver(Run run, Edge edge, List<ObjectNode> items) {
    ExecState state = run.state();
    if (run.graph().connectedInputs(edge.toNode()).size() > 1) {
      state
          .merges
          .computeIfAbsent(edge.toNode(), k -> new LinkedHashMap<>())
          .computeIfAbsent(edge.toPort(), k -> new ArrayList<>())
          .addAll(items);
    } else {
      state.ready.add(new Activation(edge.toNode(), Map.of(edge.toPort(), List.copyOf(items))));
    }
  }

  /** Moves a Merge to ready once each of its inputs has its items or can no longer get any. */
  private boolean fireMerges(Run run) {
    ExecState state = run.state();
    if (state.merges.isEmpty()) {
      return false;
    }
    Set<String> live = new HashSet<>();
    state.ready.forEach(a -> live.add(a.nodeId()));
    state.active.values().forEach(s -> live.add(s.nodeId));
    Set<String> reachable = run.graph().reachableFrom(live);
    for (Map.Entry<String, Map<String, List<ObjectNode>>> m :
        List.copyOf(state.merges.entrySet())) {
      boolean ready = true;
      for (String port : run.graph().connectedInputs(m.getKey())) {
        if (m.getValue().containsKey(port)) {
          continue;
        }
        boolean open =
            run.graph().incoming(m.getKey()).stream()
                .anyMatch(e -> e.toPort().equals(port) && reachable.contains(e.fromNode()));
        if (open) {
          ready = false;
          break;
        }
      }
      if (ready) {
        state.merges.remove(m.getKey());
        state.ready.add(new Activation(m.getKey(), m.getValue()));
        return true;
      }
    }
    return false;
  }

  /** Nothing else can run: a Split in Batches that still holds items runs again (empty input). */
  private boolean resumeStalledLoop(Run run) {
    ExecState state = run.state();
    for (String loop : state.loops.keySet()) {
      state.ready.add(new Activation(loop, Map.of("main", List.of())));
      return true;
    }
    return false;
  }

  /** A node run failed: retry it, pass the error on (continue on fail) or fail the execution. */
  private void failed(
      Run run, Effects fx, NodeDef node, Step step, boolean retryable, ObjectNode error) {
    if (retryable && step.attempt < node.maxAttempts()) {
      Step delay =
          new Step(ExecState.DELAY, node.id(), step.attempt + 1, step.runIndex, step.inputs);
      delay.dueAt = clock.instant().plus(backoff(node, step.attempt));
      run.state().active.put(Ids.newId(), delay);
      return;
    }
    if (node.continueOnFail()) {
      ObjectNode item = JsonNodeFactory.instance.objectNode();
      item.set("error", error.deepCopy());
      complete(run, fx, node, new NodeResult(Map.of(node.firstOutput(), List.of(item)), null));
      return;
    }
    run.state().interrupted.add(new Activation(node.id(), step.inputs));
    stop(run, fx, FAILED, error);
  }

  /** The wait before attempt {@code failedAttempt + 1}: fixed or doubling, ±20 % jitter. */
  Duration backoff(NodeDef node, int failedAttempt) {
    double base = node.delaySeconds();
    if (!"fixed".equals(node.backoff())) {
      base = base * Math.pow(2, failedAttempt - 1);
    }
    double jittered = base * (0.8 + 0.4 * random.nextDouble());
    long millis = Math.round(jittered * 1000);
    return Duration.ofMillis(Math.min(millis, config.maxRetryDelay().toMillis()));
  }

  /** Ends the execution with {@code status}: in-flight work is aborted and remembered. */
  private void stop(Run run, Effects fx, String status, ObjectNode error) {
    ExecState state = run.state();
    Instant now = clock.instant();
    for (Map.Entry<UUID, Step> e : state.active.entrySet()) {
      Step step = e.getValue();
      state.interrupted.add(new Activation(step.nodeId, step.inputs));
      NodeDef node = run.graph().node(step.nodeId);
      switch (step.kind) {
        case ExecState.DISPATCHED -> {
          fx.aborts.add(new Effects.Abort(step.commandId, e.getKey(), step.attempt));
          fx.updates.add(
              record(e.getKey(), node, step, CANCELLED, null, null, step.startedAt, now));
        }
        case ExecState.WAIT ->
            fx.updates.add(
                record(e.getKey(), node, step, CANCELLED, null, null, step.startedAt, now));
        case ExecState.CHILDREN -> {
          step.children.stream()
              .filter(c -> step.childOutputs == null || !step.childOutputs.containsKey(c))
              .forEach(fx.cancelChildren::add);
          fx.updates.add(
              record(e.getKey(), node, step, CANCELLED, null, null, step.startedAt, now));
        }
        default -> {
          // a retry delay has no open node run
        }
      }
    }
    state.ready.forEach(state.interrupted::add);
    state.ready.clear();
    state.active.clear();
    state.merges.clear();
    fx.status = status;
    fx.error = error;
    fx.wakeAt = null;
  }

  private String status(Run run) {
    ExecState state = run.state();
    if (state.active.isEmpty() && state.ready.isEmpty()) {
      return SUCCEEDED;
    }
    boolean onlyWaiting =
        state.ready.isEmpty()
            && state.active.values().stream()
                .allMatch(s -> ExecState.WAIT.equals(s.kind) || ExecState.CHILDREN.equals(s.kind));
    return onlyWaiting ? WAITING : RUNNING;
  }

  private Instant wakeAt(Run run) {
    Instant wake = null;
    for (Step step : run.state().active.values()) {
      if (step.dueAt != null && (wake == null || step.dueAt.isBefore(wake))) {
        wake = step.dueAt;
      }
    }
    if (!run.state().active.isEmpty()
        && run.deadline() != null
        && (wake == null || run.deadline().isBefore(wake))) {
      wake = run.deadline();
    }
    return wake;
  }

  private Duration timeout(NodeDef node) {
    return node.timeoutSeconds() == null
        ? config.defaultNodeTimeout()
        : Duration.ofSeconds(node.timeoutSeconds());
  }

  private NodeRun nodeRun(Run run, NodeDef node, Map<String, List<ObjectNode>> inputs) {
    return task(run, node, inputs).toNodeRun(run.vars());
  }

  private NodeTask task(Run run, NodeDef node, Map<String, List<ObjectNode>> inputs) {
    ExecState state = run.state();
    Graph graph = run.graph();
    return new NodeTask(
        new NodeTask.TaskNode(
            node.id(),
            node.name(),
            node.type(),
            node.typeVersion(),
            node.parameters(),
            node.credentials(),
            node.timeoutSeconds()),
        inputs,
        state.outputs,
        run.executionId().toString(),
        run.mode(),
        graph.workflowId().toString(),
        graph.workflowName(),
        graph.versionId().toString(),
        run.workspaceId().toString(),
        graph.settings().timezone(),
        state.loops.get(node.id()),
        state.now);
  }

  /**
   * Nothing to do (a duplicate or stale result): the execution keeps its timer and status, so
   * persisting this changes nothing — not even the lease and deadline timers of work in flight.
   */
  private Effects unchanged(Run run) {
    Effects fx = new Effects();
    fx.wakeAt = wakeAt(run);
    fx.status = status(run);
    return fx;
  }

  private static Effects changed() {
    Effects fx = new Effects();
    fx.changed = true;
    return fx;
  }

  private static Effects.NodeRunRecord record(
      UUID id,
      NodeDef node,
      Step step,
      String status,
      Map<String, List<ObjectNode>> output,
      ObjectNode error,
      Instant startedAt,
      Instant finishedAt) {
    return new Effects.NodeRunRecord(
        id,
        node.id(),
        node.name(),
        node.type(),
        step.runIndex,
        step.attempt,
        status,
        step.inputs,
        output,
        error,
        startedAt,
        finishedAt);
  }

  static ObjectNode error(String message, NodeDef node) {
    ObjectNode error = JsonNodeFactory.instance.objectNode();
    error.put("message", message);
    if (node != null) {
      error.put("nodeId", node.id());
      error.put("nodeName", node.name());
    }
    return error;
  }

  private static ObjectNode error(NodeOutcome.Failure failure, NodeDef node) {
    ObjectNode error = error(failure.message(), node);
    error.put("kind", failure.kind());
    error.put("retryable", failure.retryable());
    if (failure.parameter() != null) {
      error.put("parameter", failure.parameter());
    }
    if (failure.details() != null) {
      error.set("details", failure.details());
    }
    return error;
  }
}
