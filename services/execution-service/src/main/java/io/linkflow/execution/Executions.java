package io.linkflow.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.clients.VariablesClient;
import io.linkflow.common.Ids;
import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeRegistry;
import io.linkflow.engine.NodeRunner;
import io.linkflow.engine.wire.NodeOutcome;
import io.linkflow.engine.wire.Wire;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.outbox.Outbox;
import io.linkflow.events.payload.ExecutionCommandV1;
import io.linkflow.events.payload.ExecutionCompletedV1;
import io.linkflow.events.payload.ExecutionRequestedV1;
import io.linkflow.events.payload.ExecutionStatusChangedV1;
import io.linkflow.events.payload.NodeResultV1;
import io.linkflow.events.payload.WebhookResponseV1;
import io.linkflow.execution.engine.Effects;
import io.linkflow.execution.engine.ExecState;
import io.linkflow.execution.engine.Graph;
import io.linkflow.execution.engine.Orchestrator;
import io.linkflow.execution.store.ExecutionRepository;
import io.linkflow.execution.store.ExecutionRow;
import io.linkflow.expressions.Expressions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Executions as durable state machines: every change (a trigger, a node result, a timer, cancel, a
 * sub-workflow finishing) is one transaction that locks the execution, lets the {@link
 * Orchestrator} decide, and writes the node runs, the new state, the processed-event record and the
 * outbox events together. A redelivered message therefore changes nothing twice, and a crash loses
 * nothing that was acknowledged.
 */
@ApplicationScoped
public class Executions {

  private static final Logger LOG = Logger.getLogger(Executions.class);
  static final String CREATED = "created";

  private final Pool pool;
  private final ExecutionRepository repository;
  private final Outbox outbox;
  private final WorkflowVersions versions;
  private final VariablesClient variables;
  private final Orchestrator orchestrator;
  private final Clock clock = Clock.systemUTC();
  private final long maxDataBytes;
  private final MeterRegistry registry;
  private final Timer triggerToEnd;
  private final Counter batched;

  public Executions(
      Pool pool,
      ExecutionRepository repository,
      Outbox outbox,
      WorkflowVersions versions,
      VariablesClient variables,
      MeterRegistry registry,
      @ConfigProperty(name = "linkflow.execution.node-timeout", defaultValue = "5m")
          Duration nodeTimeout,
      @ConfigProperty(name = "linkflow.execution.lease-grace", defaultValue = "15s")
          Duration leaseGrace,
      @ConfigProperty(name = "linkflow.execution.max-redispatches", defaultValue = "3")
          int maxRedispatches,
      @ConfigProperty(name = "linkflow.execution.max-node-runs", defaultValue = "10000")
          int maxNodeRuns,
      @ConfigProperty(name = "linkflow.execution.max-retry-delay", defaultValue = "1h")
          Duration maxRetryDelay,
      @ConfigProperty(name = "linkflow.execution.max-data-bytes", defaultValue = "16777216")
          long maxDataBytes) {
    this.pool = pool;
    this.repository = repository;
    this.outbox = outbox;
    this.versions = versions;
    this.variables = variables;
    this.registry = registry;
    this.maxDataBytes = maxDataBytes;
    NodeRunner runner =
        new NodeRunner(NodeRegistry.builtIn(), NodeContext.defaults(new Expressions()));
    this.orchestrator =
        new Orchestrator(
            runner,
            clock,
            new Orchestrator.Config(
                nodeTimeout, leaseGrace, maxRedispatches, maxNodeRuns, maxRetryDelay),
            new SecureRandom());
    this.triggerToEnd =
        Timer.builder("execution.duration")
            .description("From creation to a terminal state")
            .publishPercentileHistogram()
            .register(registry);
    this.batched =
        Counter.builder("execution.requests.batched")
            .description("New executions written together with the others of their Kafka poll")
            .register(registry);
  }

  // --------------------------------------------------------------------------- triggers

  /**
   * A request to run a workflow (manual, webhook, schedule, event, error, sub-workflow). The
   * execution id is the idempotency key: a repeated request finds the execution stored and changes
   * nothing.
   */
  public Uni<Void> request(EventEnvelope event, ExecutionRequestedV1 request) {
    UUID workspace = UUID.fromString(event.workspaceId());
    return resolve(workspace, request)
        .flatMap(
            found ->
                inTransaction(tx -> create(tx, workspace, request, found.graph(), found.vars())));
  }

  /** The version a request runs (null when it does not exist) and the variables it reads. */
  private record Resolved(Graph graph, Map<String, String> vars) {}

  private Uni<Resolved> resolve(UUID workspace, ExecutionRequestedV1 request) {
    Uni<Graph> version =
        request.versionId() != null
            ? versions.graph(workspace, request.versionId())
            : request.workflowId() != null
                ? versions.current(workspace, request.workflowId())
                : Uni.createFrom().nullItem();
    return version
        .map(Optional::ofNullable)
        .onFailure(WorkflowVersions.VersionNotFound.class)
        .recoverWithItem(Optional.empty())
        .flatMap(
            graph ->
                varsFor(workspace, graph.orElse(null))
                    .map(vars -> new Resolved(graph.orElse(null), vars)));
  }

  /** A request to run, as a batch of them carries it. */
  public record Request(EventEnvelope event, ExecutionRequestedV1 request) {}

  /**
   * Requests from one Kafka poll. The common case — a new execution of a workflow without a
   * concurrency limit, not a sub-workflow — is decided in memory and all of them are written in one
   * transaction (three round trips for the whole batch: executions, node runs, events). The others,
   * and all of them if that transaction fails, go through {@link #request} one by one. Returns, per
   * request in order, null or why it could not be handled (the caller parks it in the dead-letter
   * queue). Idempotent like {@link #request}: an execution id already stored changes nothing.
   */
  public Uni<List<Throwable>> requestAll(List<Request> requests) {
    if (requests.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<Uni<Decided>> decisions = new ArrayList<>(requests.size());
    for (Request r : requests) {
      decisions.add(decide(r));
    }
    return Uni.join()
        .all(decisions)
        .andFailFast()
        .flatMap(
            decided -> {
              List<Decided> batch = new ArrayList<>();
              java.util.Set<UUID> seen = new java.util.HashSet<>();
              for (Decided d : decided) {
                if (d.step() != null && seen.add(d.step().next().id())) {
                  batch.add(d);
                }
              }
              return writeAll(batch)
                  .flatMap(
                      written -> {
                        // the others one after another, in the order they were requested
                        return io.smallrye.mutiny.Multi.createFrom()
                            .iterable(decided)
                            .onItem()
                            .transformToUniAndConcatenate(
                                d ->
                                    d.step() != null && written
                                        ? Uni.createFrom().item(Optional.<Throwable>empty())
                                        : request(d.request().event(), d.request().request())
                                            .map(done -> Optional.<Throwable>empty())
                                            .onFailure()
                                            .recoverWithItem(Optional::of))
                            .collect()
                            .asList()
                            .map(list -> list.stream().map(o -> o.orElse(null)).toList());
                      });
            });
  }

  /** A request and, when it can be written with the batch, its first step (else null). */
  private record Decided(Request request, Step step) {}

  private Uni<Decided> decide(Request r) {
    UUID workspace;
    try {
      workspace = UUID.fromString(r.event().workspaceId());
    } catch (RuntimeException e) {
      return Uni.createFrom().item(new Decided(r, null));
    }
    ExecutionRequestedV1 request = r.request();
    if (request.parentExecutionId() != null) {
      return Uni.createFrom().item(new Decided(r, null)); // finishing notifies the parent
    }
    return resolve(workspace, request)
        .map(
            found -> {
              Graph graph = found.graph();
              if (graph == null || graph.settings().concurrencyLimit() != null) {
                return new Decided(r, null);
              }
              ExecutionRow row = newRow(workspace, request, graph);
              Orchestrator.Run run = run(row, graph, new ExecState(), found.vars());
              Effects fx =
                  orchestrator.start(
                      run, Wire.read(row.input(), ItemList.class), row.triggerNodeId());
              if (!fx.changed) {
                return new Decided(r, null);
              }
              Step step = prepare(row, run, fx, true);
              if (step.touchesMore()) {
                return new Decided(r, null);
              }
              // no consumer span per record in a batch: the events continue the requester's trace
              if (r.event().traceparent() != null) {
                step.events()
                    .replaceAll(
                        e ->
                            e.event().traceparent() != null
                                ? e
                                : new Outbox.Entry(
                                    e.topic(),
                                    e.event()
                                        .withTrace(
                                            r.event().traceparent(), r.event().tracestate())));
              }
              return new Decided(r, step);
            })
        .onFailure()
        .recoverWithItem(new Decided(r, null)); // handled (and reported) one by one
  }

  /** Writes the decided executions in one transaction; false when it failed. */
  private Uni<Boolean> writeAll(List<Decided> batch) {
    if (batch.isEmpty()) {
      return Uni.createFrom().item(true);
    }
    List<ExecutionRow> rows = new ArrayList<>(batch.size());
    for (Decided d : batch) {
      rows.add(d.step().next());
    }
    return inTransaction(
            tx ->
                repository
                    .insertAll(tx, rows)
                    .call(
                        inserted -> {
                          Map<UUID, List<Effects.NodeRunRecord>> runs =
                              new java.util.LinkedHashMap<>();
                          List<Effects.NodeRunRecord> updates = new ArrayList<>();
                          List<Outbox.Entry> events = new ArrayList<>();
                          for (Decided d : batch) {
                            Step step = d.step();
                            if (inserted.contains(step.next().id())) { // else: a repeated request
                              runs.put(step.next().id(), step.fx().inserts);
                              updates.addAll(step.fx().updates);
                              events.addAll(step.events());
                            }
                          }
                          return repository
                              .insertNodeRuns(tx, runs)
                              .call(() -> repository.updateNodeRuns(tx, updates))
                              .call(() -> outbox.appendAll(tx, events));
                        }))
        .invoke(
            inserted -> {
              batched.increment(inserted.size());
              for (Decided d : batch) {
                if (d.step().terminal() && inserted.contains(d.step().next().id())) {
                  recordFinished(d.step().next());
                }
              }
            })
        .replaceWith(true)
        .onFailure()
        .recoverWithItem(
            e -> {
              LOG.warnf(
                  "A batch of %d new executions could not be written together (%s); writing them"
                      + " one by one",
                  batch.size(), e.toString());
              return false;
            });
  }

  private Uni<Void> create(
      SqlClient tx,
      UUID workspace,
      ExecutionRequestedV1 request,
      Graph graph,
      Map<String, String> vars) {
    Instant now = clock.instant();
    UUID workflowId = request.workflowId() == null ? new UUID(0, 0) : request.workflowId();
    if (graph == null) {
      String message =
          request.versionId() != null
              ? "workflow version " + request.versionId() + " does not exist"
              : request.workflowId() == null
                  ? "no workflow to run: the workflow id is missing or not a UUID"
                  : "workflow " + request.workflowId() + " does not exist in this workspace";
      ExecutionRow failed =
          new ExecutionRow(
              request.executionId(),
              workspace,
              workflowId,
              request.versionId() == null ? new UUID(0, 0) : request.versionId(),
              null,
              request.mode(),
              Orchestrator.FAILED,
              request.triggerNodeId(),
              request.input(),
              "{}",
              errorJson(message),
              request.parentExecutionId(),
              request.parentNodeRunId(),
              null,
              null,
              "all",
              0,
              now,
              now,
              now,
              null,
              null);
      return repository
          .insert(tx, failed)
          .flatMap(
              inserted -> {
                if (!inserted) {
                  return Uni.createFrom().voidItem();
                }
                List<Outbox.Entry> events = new ArrayList<>();
                events.add(statusEntry(failed, null, CREATED, null));
                events.add(statusEntry(failed, CREATED, Orchestrator.FAILED, message));
                events.addAll(terminalEvents(failed, null));
                return finished(tx, failed, List.of()).call(() -> outbox.appendAll(tx, events));
              });
    }
    ExecutionRow row = newRow(workspace, request, graph);
    if (graph.settings().concurrencyLimit() == null) {
      return start(tx, row, graph, vars, true); // decided in memory, stored once
    }
    return repository
        .insert(tx, row)
        .flatMap(
            inserted ->
                !inserted
                    ? Uni.createFrom().voidItem() // the same request through another topic
                    : outbox
                        .appendAll(tx, List.of(statusEntry(row, null, CREATED, null)))
                        .call(() -> startOrQueue(tx, row, graph, vars)));
  }

  /** A requested execution of {@code graph} as it is created, before its first step. */
  private ExecutionRow newRow(UUID workspace, ExecutionRequestedV1 request, Graph graph) {
    Graph.Settings settings = graph.settings();
    Instant now = clock.instant();
    return new ExecutionRow(
        request.executionId(),
        workspace,
        graph.workflowId(),
        graph.versionId(),
        graph.workflowName(),
        request.mode(),
        CREATED,
        request.triggerNodeId(),
        request.input() == null ? "[{}]" : request.input(),
        "{}",
        null,
        request.parentExecutionId(),
        request.parentNodeRunId(),
        null,
        settings.concurrencyLimit(),
        settings.saveExecutionData(),
        0,
        now,
        null,
        null,
        now.plusSeconds(settings.executionTimeoutSeconds()),
        null);
  }

  /** Starts now, or leaves the execution queued when its workflow's limit is reached. */
  private Uni<Void> startOrQueue(
      SqlClient tx, ExecutionRow row, Graph graph, Map<String, String> vars) {
    if (row.concurrencyLimit() == null) {
      return start(tx, row, graph, vars, false);
    }
    return repository
        .lockSlots(tx, row.workflowId())
        .flatMap(
            locked ->
                repository
                    .slotsTaken(tx, row.workflowId())
                    .flatMap(
                        taken ->
                            repository
                                .olderQueued(tx, row.workflowId(), row.createdAt(), row.id())
                                .flatMap(
                                    older -> {
                                      if (taken < row.concurrencyLimit() && !older) {
                                        return start(tx, row, graph, vars, false);
                                      }
                                      LOG.debugf(
                                          "Execution %s queued: %d of %d slots of workflow %s"
                                              + " taken",
                                          row.id(),
                                          taken,
                                          row.concurrencyLimit(),
                                          row.workflowId());
                                      return Uni.createFrom().voidItem();
                                    })));
  }

  private Uni<Void> start(
      SqlClient tx, ExecutionRow row, Graph graph, Map<String, String> vars, boolean fresh) {
    ExecState state = parseState(row.state());
    Orchestrator.Run run = run(row, graph, state, vars);
    Effects fx;
    if (!state.ready.isEmpty()) {
      fx = orchestrator.resume(run, List.of()); // a retry prepared its starting point
    } else {
      List<ObjectNode> items = Wire.read(row.input(), ItemList.class);
      fx = orchestrator.start(run, items, row.triggerNodeId());
    }
    return persist(tx, row, run, fx, fresh);
  }

  /** JSON array of items. */
  static final class ItemList extends ArrayList<ObjectNode> {}

  // --------------------------------------------------------------------------- results

  /**
   * An executor's result for a node run. (node run, attempt) is the idempotency key: the
   * orchestrator accepts one result for it, under the execution's lock, so a redelivered or
   * duplicate result changes nothing.
   */
  public Uni<Void> result(NodeResultV1 result) {
    NodeOutcome outcome;
    try {
      outcome = Wire.read(result.outcome(), NodeOutcome.class);
    } catch (RuntimeException e) {
      outcome =
          NodeOutcome.failure(
              "the executor's result could not be read: " + e.getMessage(), "node", false);
    }
    NodeOutcome parsed = outcome;
    return withExecution(
        result.executionId(),
        (tx, row, run) ->
            orchestrator.onResult(
                run, result.nodeRunId(), result.attempt(), parsed, result.startedAt()));
  }

  // --------------------------------------------------------------------------- timers

  /** Handles one execution whose wake time has come (called by the sweeper). */
  public Uni<Void> wake(UUID executionId) {
    return onLocked(executionId, false, this::wakeLocked);
  }

  private Uni<Void> wakeLocked(
      SqlClient tx, ExecutionRow row, Graph graph, Map<String, String> vars) {
    if (row.wakeAt() == null || row.wakeAt().isAfter(clock.instant())) {
      return Uni.createFrom().voidItem(); // another replica handled it
    }
    if (Orchestrator.isTerminal(row.status())) {
      return repository.update(tx, withWake(row, null));
    }
    if (CREATED.equals(row.status())) {
      ExecutionRow cleared = withWake(row, null);
      return repository.update(tx, cleared).call(() -> startOrQueue(tx, cleared, graph, vars));
    }
    Orchestrator.Run run = run(row, graph, parseState(row.state()), vars);
    return apply(tx, row, run, orchestrator.onTimers(run));
  }

  // --------------------------------------------------------------------------- API operations

  /** Cancels a queued or running execution; empty when it does not exist. */
  public Uni<Optional<ExecutionRow>> cancel(UUID workspaceId, UUID executionId) {
    return pool.withConnection(c -> repository.get(c, workspaceId, executionId))
        .flatMap(
            found -> {
              if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.<ExecutionRow>empty());
              }
              return graphOf(found.get())
                  .flatMap(
                      graph ->
                          inTransaction(
                              tx ->
                                  repository
                                      .lock(tx, executionId)
                                      .flatMap(
                                          locked -> {
                                            ExecutionRow row = locked.orElseThrow();
                                            if (Orchestrator.isTerminal(row.status())) {
                                              throw new Conflict(
                                                  "The execution already "
                                                      + row.status()
                                                      + "; there is nothing to cancel.");
                                            }
                                            Orchestrator.Run run =
                                                run(row, graph, parseState(row.state()), Map.of());
                                            return apply(tx, row, run, orchestrator.cancel(run));
                                          })))
                  .flatMap(
                      done ->
                          pool.withConnection(c -> repository.get(c, workspaceId, executionId)));
            });
  }

  /**
   * A new execution that starts again where a failed, timed-out or cancelled one stopped: the nodes
   * that were running or ready then, with the same inputs and {@code $node} data.
   */
  public Uni<ExecutionRow> retry(UUID workspaceId, UUID executionId) {
    return pool.withConnection(c -> repository.get(c, workspaceId, executionId))
        .flatMap(
            found -> {
              ExecutionRow old = found.orElseThrow(() -> new NotFound());
              if (!Orchestrator.isTerminal(old.status())
                  || Orchestrator.SUCCEEDED.equals(old.status())) {
                throw new Conflict(
                    "Only a failed, timed-out or cancelled execution can be retried; this one is "
                        + old.status()
                        + ".");
              }
              ExecState previous = parseState(old.state());
              if (previous.interrupted.isEmpty()) {
                throw new Conflict(
                    "This execution kept no data to retry from (its workflow's data-saving"
                        + " policy, or it failed before any node ran).");
              }
              return graphOf(old)
                  .flatMap(
                      graph ->
                          varsFor(workspaceId, graph)
                              .flatMap(
                                  vars -> {
                                    ExecState state = new ExecState();
                                    state.outputs.putAll(previous.outputs);
                                    state.loops.putAll(previous.loops);
                                    state.runs.putAll(previous.runs);
                                    state.ready.addAll(previous.interrupted);
                                    Instant now = clock.instant();
                                    ExecutionRow row =
                                        new ExecutionRow(
                                            Ids.newId(),
                                            workspaceId,
                                            old.workflowId(),
                                            old.versionId(),
                                            old.workflowName(),
                                            "retry",
                                            CREATED,
                                            old.triggerNodeId(),
                                            old.input(),
                                            Wire.write(state),
                                            null,
                                            null,
                                            null,
                                            old.id(),
                                            old.concurrencyLimit(),
                                            old.saveData(),
                                            0,
                                            now,
                                            null,
                                            null,
                                            now.plusSeconds(
                                                graph.settings().executionTimeoutSeconds()),
                                            null);
                                    return inTransaction(
                                            tx ->
                                                repository
                                                    .insert(tx, row)
                                                    .call(
                                                        () ->
                                                            outbox.appendAll(
                                                                tx,
                                                                List.of(
                                                                    statusEntry(
                                                                        row, null, CREATED, null))))
                                                    .call(() -> startOrQueue(tx, row, graph, vars)))
                                        .flatMap(
                                            done ->
                                                pool.withConnection(
                                                    c -> repository.get(c, workspaceId, row.id())))
                                        .map(Optional::orElseThrow);
                                  }));
            });
  }

  /** Deletes a finished execution and its node runs; false when it does not exist. */
  public Uni<Boolean> delete(UUID workspaceId, UUID executionId) {
    return inTransaction(
        tx ->
            repository
                .get(tx, workspaceId, executionId)
                .flatMap(
                    found -> {
                      if (found.isEmpty()) {
                        return Uni.createFrom().item(false);
                      }
                      if (!Orchestrator.isTerminal(found.get().status())) {
                        throw new Conflict(
                            "The execution is "
                                + found.get().status()
                                + "; cancel it before deleting it.");
                      }
                      return repository.delete(tx, workspaceId, executionId);
                    }));
  }

  /** A request the caller must change: 409. */
  public static final class Conflict extends RuntimeException {
    public Conflict(String message) {
      super(message);
    }
  }

  /** No such execution in the caller's workspace: 404. */
  public static final class NotFound extends RuntimeException {
    public NotFound() {
      super("No such execution in this workspace.");
    }
  }

  // --------------------------------------------------------------------------- internals

  /** Runs {@code change} on the locked execution and persists its effects. */
  private interface Change {
    Effects apply(SqlClient tx, ExecutionRow row, Orchestrator.Run run);
  }

  private Uni<Void> withExecution(UUID executionId, Change change) {
    return onLocked(
        executionId,
        true,
        (tx, row, graph, vars) -> {
          if (Orchestrator.isTerminal(row.status())) {
            return Uni.createFrom().voidItem();
          }
          Orchestrator.Run run = run(row, graph, parseState(row.state()), vars);
          return apply(tx, row, run, change.apply(tx, row, run));
        });
  }

  /** Work on an execution under its row lock, with its version and the variables it reads. */
  private interface LockedWork {
    Uni<Void> apply(SqlClient tx, ExecutionRow row, Graph graph, Map<String, String> vars);
  }

  /**
   * Loads the execution (without a lock), its version and variables — which may take requests to
   * other services, so outside the transaction — then runs {@code work} on the row locked in a
   * transaction. Nothing when the execution does not exist, or is terminal and {@code
   * skipTerminal}.
   */
  private Uni<Void> onLocked(UUID executionId, boolean skipTerminal, LockedWork work) {
    return pool.withConnection(c -> repository.find(c, executionId))
        .flatMap(
            found -> {
              if (found.isEmpty()
                  || (skipTerminal && Orchestrator.isTerminal(found.get().status()))) {
                return Uni.createFrom().voidItem();
              }
              ExecutionRow seen = found.get();
              return graphOf(seen)
                  .flatMap(
                      graph ->
                          varsFor(seen.workspaceId(), graph)
                              .flatMap(
                                  vars ->
                                      inTransaction(
                                          tx ->
                                              repository
                                                  .lock(tx, executionId)
                                                  .flatMap(
                                                      locked ->
                                                          locked.isEmpty()
                                                              ? Uni.createFrom().voidItem()
                                                              : work.apply(
                                                                  tx,
                                                                  locked.get(),
                                                                  graph,
                                                                  vars)))));
            });
  }

  /** Persists one orchestrator step: node runs, state, status events, commands, side effects. */
  private Uni<Void> apply(SqlClient tx, ExecutionRow row, Orchestrator.Run run, Effects fx) {
    return persist(tx, row, run, fx, false);
  }

  /**
   * Persists one orchestrator step. {@code fresh}: the execution is not stored yet ({@code row} is
   * how it was created) and is inserted in its state after the step — one round trip instead of an
   * insert and an update; if another delivery stored it meanwhile, nothing is written.
   */
  private Uni<Void> persist(
      SqlClient tx, ExecutionRow row, Orchestrator.Run run, Effects fx, boolean fresh) {
    if (!fx.changed) {
      if (!java.util.Objects.equals(fx.wakeAt, row.wakeAt())) {
        return repository.update(tx, withWake(row, fx.wakeAt));
      }
      return Uni.createFrom().voidItem();
    }
    Step step = prepare(row, run, fx, fresh);
    Uni<Boolean> stored =
        fresh
            ? repository.insert(tx, step.next())
            : repository.update(tx, step.next()).replaceWith(Boolean.TRUE);
    return stored.flatMap(
        written -> {
          if (!written) {
            return Uni.createFrom().voidItem(); // the same request, delivered twice at once
          }
          Uni<Void> chain =
              repository
                  .insertNodeRuns(tx, row.id(), fx.inserts)
                  .call(() -> repository.updateNodeRuns(tx, fx.updates));
          for (UUID child : fx.cancelChildren) {
            chain = chain.call(() -> cancelChild(tx, child));
          }
          if (step.terminal()) {
            chain = chain.call(() -> finished(tx, step.next(), run.state().lastOutput));
          }
          return chain.call(() -> outbox.appendAll(tx, step.events()));
        });
  }

  /**
   * What one orchestrator step writes: the execution's next row and the events (status change,
   * commands, sub-workflow requests, and for a terminal state the summary and the error workflow's
   * request). Pure: nothing is written here.
   */
  private record Step(ExecutionRow next, List<Outbox.Entry> events, Effects fx, boolean terminal) {

    /** Whether persisting needs more than rows and events: other executions, or dropped data. */
    boolean touchesMore() {
      return !fx.cancelChildren.isEmpty()
          || terminal
              && (next.parentNodeRunId() != null
                  || next.concurrencyLimit() != null
                  || dropsData(next));
    }
  }

  private Step prepare(ExecutionRow row, Orchestrator.Run run, Effects fx, boolean fresh) {
    String state = Orchestrator.SUCCEEDED.equals(fx.status) ? "{}" : Wire.write(run.state());
    if (state.length() > maxDataBytes && !Orchestrator.isTerminal(fx.status)) {
      Effects failed =
          orchestrator.fail(
              run,
              String.format(
                  "the execution's data is %.1f MiB, more than the %.1f MiB limit",
                  state.length() / 1048576.0, maxDataBytes / 1048576.0));
      fx.updates.addAll(failed.updates);
      fx.aborts.addAll(failed.aborts);
      fx.cancelChildren.addAll(failed.cancelChildren);
      fx.dispatches.clear();
      fx.children.clear();
      fx.status = failed.status;
      fx.error = failed.error;
      fx.wakeAt = null;
      state = Wire.write(run.state());
    }
    Instant now = clock.instant();
    boolean terminal = Orchestrator.isTerminal(fx.status);
    String from = row.status();
    String errorText = fx.error == null ? null : fx.error.toString();
    ExecutionRow next =
        new ExecutionRow(
            row.id(),
            row.workspaceId(),
            row.workflowId(),
            row.versionId(),
            row.workflowName(),
            row.mode(),
            fx.status,
            row.triggerNodeId(),
            row.input(),
            state,
            errorText == null ? row.error() : errorText,
            row.parentExecutionId(),
            row.parentNodeRunId(),
            row.retryOf(),
            row.concurrencyLimit(),
            row.saveData(),
            run.state().nodeRuns,
            row.createdAt(),
            row.startedAt() == null ? now : row.startedAt(),
            terminal ? now : null,
            row.deadline(),
            terminal ? null : fx.wakeAt);
    String message = fx.error == null ? null : fx.error.path("message").asText(null);
    List<Outbox.Entry> events = new ArrayList<>();
    // one event per committed change: a new execution is announced in the state it is stored
    // in (from null), e.g. succeeded for one that finished in this transaction
    if (fresh) {
      events.add(statusEntry(next, null, fx.status, message));
    } else if (!from.equals(fx.status)) {
      events.add(statusEntry(next, from, fx.status, message));
    }
    for (Effects.Dispatch d : fx.dispatches) {
      events.add(
          outbox.entry(
              EventTypes.RUN_NODE_V1,
              row.id().toString(),
              row.workspaceId().toString(),
              new ExecutionCommandV1(
                  d.commandId(),
                  row.id(),
                  d.nodeRunId(),
                  d.attempt(),
                  d.deadline(),
                  Wire.write(d.task()))));
    }
    for (Effects.Abort abort : fx.aborts) {
      events.add(
          outbox.entry(
              EventTypes.ABORT_NODE_V1,
              row.id().toString(),
              row.workspaceId().toString(),
              new ExecutionCommandV1(
                  abort.commandId(), row.id(), abort.nodeRunId(), abort.attempt(), null, null)));
    }
    for (Effects.ChildRequest child : fx.children) {
      events.add(childRequest(next, child));
    }
    String responseMode = responseMode(row, run.graph());
    if (responseMode != null) {
      if (fx.response != null) {
        events.add(webhookResponse(next, fx.response));
      } else if (terminal && !run.state().responded) {
        events.add(finalResponse(next, responseMode, run.state().lastOutput, message));
      }
    }
    if (terminal) {
      events.addAll(terminalEvents(next, run.graph()));
    }
    return new Step(next, events, fx, terminal);
  }

  private Outbox.Entry childRequest(ExecutionRow parent, Effects.ChildRequest child) {
    UUID workflowId;
    try {
      workflowId = UUID.fromString(child.workflowId().trim());
    } catch (IllegalArgumentException e) {
      workflowId = null; // not a workflow id: the child fails at once, and so the node
    }
    ArrayNode items = JsonNodeFactory.instance.arrayNode();
    child.items().forEach(items::add);
    return outbox.entry(
        EventTypes.EXECUTION_REQUESTED_V1,
        child.childExecutionId().toString(),
        parent.workspaceId().toString(),
        new ExecutionRequestedV1(
            child.childExecutionId(),
            workflowId,
            null,
            "sub-workflow",
            items.toString(),
            null,
            child.parentNodeRunId() == null ? null : parent.id(),
            child.parentNodeRunId()));
  }

  private Uni<Void> cancelChild(SqlClient tx, UUID childId) {
    return repository
        .lock(tx, childId)
        .flatMap(
            locked -> {
              if (locked.isEmpty() || Orchestrator.isTerminal(locked.get().status())) {
                return Uni.createFrom().voidItem();
              }
              ExecutionRow child = locked.get();
              return graphOf(child)
                  .flatMap(
                      graph -> {
                        Orchestrator.Run run =
                            run(child, graph, parseState(child.state()), Map.of());
                        return apply(tx, child, run, orchestrator.cancel(run));
                      });
            });
  }

  /**
   * How the webhook call that started {@code row} waits for its answer: {@code lastNode} or {@code
   * responseNode}; null when nobody waits (not started by a webhook, or answered at once).
   */
  private static String responseMode(ExecutionRow row, Graph graph) {
    if (graph == null
        || row.triggerNodeId() == null
        || !("webhook".equals(row.mode()) || "test".equals(row.mode()))) {
      return null;
    }
    Graph.NodeDef trigger = graph.node(row.triggerNodeId());
    if (trigger == null || trigger.parameters() == null) {
      return null;
    }
    String mode = trigger.parameters().path("responseMode").asText("immediately");
    return "lastNode".equals(mode) || "responseNode".equals(mode) ? mode : null;
  }

  private Outbox.Entry webhookResponse(ExecutionRow row, JsonNode response) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    response
        .path("headers")
        .properties()
        .forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
    JsonNode body = response.path("body");
    return outbox.entry(
        EventTypes.WEBHOOK_RESPONSE_V1,
        row.id().toString(),
        row.workspaceId().toString(),
        new WebhookResponseV1(
            row.id(),
            response.path("status").asInt(200),
            headers,
            body.isNull() || body.isMissingNode() ? null : body.asText()));
  }

  /**
   * The answer of a waiting webhook call when the execution ended without a Respond to Webhook
   * node: the last node's first item ({@code lastNode}), nothing (204), or a problem (500) when it
   * did not succeed.
   */
  private Outbox.Entry finalResponse(
      ExecutionRow row, String responseMode, List<ObjectNode> lastOutput, String error) {
    ObjectNode response = JsonNodeFactory.instance.objectNode();
    ObjectNode headers = response.putObject("headers");
    if (!Orchestrator.SUCCEEDED.equals(row.status())) {
      ObjectNode problem = JsonNodeFactory.instance.objectNode();
      problem.put("type", "about:blank");
      problem.put("title", "The workflow did not complete");
      problem.put("status", 500);
      problem.put(
          "detail",
          "Execution "
              + row.id()
              + " "
              + row.status()
              + (error == null && row.error() == null
                  ? "."
                  : ": " + (error != null ? error : errorMessage(row.error()))));
      problem.put("executionId", row.id().toString());
      response.put("status", 500);
      headers.put("Content-Type", "application/problem+json");
      response.put("body", problem.toString());
    } else if ("lastNode".equals(responseMode)) {
      response.put("status", 200);
      headers.put("Content-Type", "application/json");
      response.put(
          "body", lastOutput == null || lastOutput.isEmpty() ? "{}" : lastOutput.get(0).toString());
    } else {
      response.put("status", 204); // responseNode, but no Respond to Webhook node ran
      response.putNull("body");
    }
    return webhookResponse(row, response);
  }

  /** The events of a terminal state: the summary (analytics) and the error workflow's request. */
  private List<Outbox.Entry> terminalEvents(ExecutionRow row, Graph graph) {
    List<Outbox.Entry> events = new ArrayList<>(2);
    Instant end = row.finishedAt() == null ? clock.instant() : row.finishedAt();
    events.add(
        outbox.entry(
            EventTypes.EXECUTION_COMPLETED_V1,
            row.id().toString(),
            row.workspaceId().toString(),
            new ExecutionCompletedV1(
                row.id(),
                row.workflowId(),
                row.versionId(),
                row.mode(),
                row.status(),
                row.createdAt(),
                end,
                Math.max(0, Duration.between(row.createdAt(), end).toMillis()),
                row.nodeRuns(),
                errorMessage(row.error()))));
    boolean failed =
        Orchestrator.FAILED.equals(row.status()) || Orchestrator.TIMED_OUT.equals(row.status());
    if (failed
        && graph != null
        && graph.settings().errorWorkflowId() != null
        && !"error".equals(row.mode())) {
      events.add(errorWorkflowRequest(row, graph));
    }
    return events;
  }

  /** Metrics and the log line of an execution that reached a terminal state. */
  private void recordFinished(ExecutionRow row) {
    Instant end = row.finishedAt() == null ? clock.instant() : row.finishedAt();
    long millis = Math.max(0, Duration.between(row.createdAt(), end).toMillis());
    triggerToEnd.record(Duration.ofMillis(millis));
    Counter.builder("executions_total")
        .description("Executions that reached a terminal state")
        .tag("status", row.status())
        .register(registry)
        .increment();
    if (!Orchestrator.SUCCEEDED.equals(row.status())) {
      Counter.builder("executions_failed_total")
          .description("Executions that failed, timed out or were cancelled")
          .tag("status", row.status())
          .register(registry)
          .increment();
    }
    LOG.debugf(
        "Execution %s of workflow %s %s in %d ms (%d node runs)",
        row.id(), row.workflowId(), row.status(), millis, row.nodeRuns());
  }

  private static boolean dropsData(ExecutionRow row) {
    return "none".equals(row.saveData())
        || ("failed".equals(row.saveData()) && Orchestrator.SUCCEEDED.equals(row.status()));
  }

  /** A terminal state's writes beyond its row: the parent, the next queued, dropped data. */
  private Uni<Void> finished(SqlClient tx, ExecutionRow row, List<ObjectNode> lastOutput) {
    recordFinished(row);
    Uni<Void> chain = Uni.createFrom().voidItem();
    if (row.parentExecutionId() != null && row.parentNodeRunId() != null) {
      String message = errorMessage(row.error());
      chain = chain.call(() -> notifyParent(tx, row, lastOutput, message));
    }
    if (row.concurrencyLimit() != null) {
      chain = chain.call(() -> repository.wakeNextQueued(tx, row.workflowId()));
    }
    if (dropsData(row)) {
      chain =
          chain
              .call(() -> repository.dropData(tx, row.id()))
              .call(
                  () ->
                      repository.update(
                          tx,
                          new ExecutionRow(
                              row.id(),
                              row.workspaceId(),
                              row.workflowId(),
                              row.versionId(),
                              row.workflowName(),
                              row.mode(),
                              row.status(),
                              row.triggerNodeId(),
                              null,
                              "{}",
                              row.error(),
                              row.parentExecutionId(),
                              row.parentNodeRunId(),
                              row.retryOf(),
                              row.concurrencyLimit(),
                              row.saveData(),
                              row.nodeRuns(),
                              row.createdAt(),
                              row.startedAt(),
                              row.finishedAt(),
                              row.deadline(),
                              null)));
    }
    return chain;
  }

  private Outbox.Entry errorWorkflowRequest(ExecutionRow row, Graph graph) {
    ObjectNode item = JsonNodeFactory.instance.objectNode();
    ObjectNode execution = item.putObject("execution");
    execution.put("id", row.id().toString());
    execution.put("mode", row.mode());
    execution.put("status", row.status());
    JsonNode error = row.error() == null ? null : Wire.read(row.error(), JsonNode.class);
    if (error != null) {
      execution.set("error", error);
      if (error.hasNonNull("nodeName")) {
        execution.put("lastNodeExecuted", error.get("nodeName").asText());
      }
    }
    ObjectNode workflow = item.putObject("workflow");
    workflow.put("id", row.workflowId().toString());
    workflow.put("name", row.workflowName());
    ArrayNode items = JsonNodeFactory.instance.arrayNode().add(item);
    UUID id = Ids.newId();
    return outbox.entry(
        EventTypes.EXECUTION_REQUESTED_V1,
        id.toString(),
        row.workspaceId().toString(),
        new ExecutionRequestedV1(
            id, graph.settings().errorWorkflowId(), null, "error", items.toString()));
  }

  private Uni<Void> notifyParent(
      SqlClient tx, ExecutionRow child, List<ObjectNode> output, String message) {
    return repository
        .lock(tx, child.parentExecutionId())
        .flatMap(
            locked -> {
              if (locked.isEmpty() || Orchestrator.isTerminal(locked.get().status())) {
                return Uni.createFrom().voidItem();
              }
              ExecutionRow parent = locked.get();
              return graphOf(parent)
                  .flatMap(
                      graph ->
                          varsFor(parent.workspaceId(), graph)
                              .flatMap(
                                  vars -> {
                                    Orchestrator.Run run =
                                        run(parent, graph, parseState(parent.state()), vars);
                                    return apply(
                                        tx,
                                        parent,
                                        run,
                                        orchestrator.onChildFinished(
                                            run,
                                            child.parentNodeRunId(),
                                            child.id(),
                                            child.status(),
                                            output,
                                            message));
                                  }));
            });
  }

  private Outbox.Entry statusEntry(ExecutionRow row, String from, String to, String error) {
    return outbox.entry(
        EventTypes.EXECUTION_STATUS_CHANGED_V1,
        row.id().toString(),
        row.workspaceId().toString(),
        new ExecutionStatusChangedV1(row.id(), row.workflowId(), from, to, clock.instant(), error));
  }

  private Uni<Graph> graphOf(ExecutionRow row) {
    return versions.graph(row.workspaceId(), row.versionId());
  }

  private Uni<Map<String, String>> varsFor(UUID workspace, Graph graph) {
    if (graph == null || !graph.usesVariables()) {
      return Uni.createFrom().item(Map.of());
    }
    return variables.values(workspace.toString());
  }

  private Orchestrator.Run run(
      ExecutionRow row, Graph graph, ExecState state, Map<String, String> vars) {
    return new Orchestrator.Run(
        row.id(), row.workspaceId(), row.mode(), graph, state, row.deadline(), vars);
  }

  static ExecState parseState(String json) {
    return json == null || json.isBlank() ? new ExecState() : Wire.read(json, ExecState.class);
  }

  private static ExecutionRow withWake(ExecutionRow r, Instant wakeAt) {
    return new ExecutionRow(
        r.id(),
        r.workspaceId(),
        r.workflowId(),
        r.versionId(),
        r.workflowName(),
        r.mode(),
        r.status(),
        r.triggerNodeId(),
        r.input(),
        r.state(),
        r.error(),
        r.parentExecutionId(),
        r.parentNodeRunId(),
        r.retryOf(),
        r.concurrencyLimit(),
        r.saveData(),
        r.nodeRuns(),
        r.createdAt(),
        r.startedAt(),
        r.finishedAt(),
        r.deadline(),
        wakeAt);
  }

  private static String errorJson(String message) {
    ObjectNode error = JsonNodeFactory.instance.objectNode();
    error.put("message", message);
    return error.toString();
  }

  private static String errorMessage(String errorJson) {
    if (errorJson == null) {
      return null;
    }
    return Wire.read(errorJson, JsonNode.class).path("message").asText(null);
  }

  /** A transaction, retried when PostgreSQL picks it as a deadlock victim. */
  private <T> Uni<T> inTransaction(Function<SqlClient, Uni<T>> work) {
    return pool.withTransaction(tx -> work.apply(tx))
        .onFailure(e -> e instanceof PgException pg && "40P01".equals(pg.getSqlState()))
        .retry()
        .withBackOff(Duration.ofMillis(20), Duration.ofMillis(500))
        .atMost(5);
  }
}
