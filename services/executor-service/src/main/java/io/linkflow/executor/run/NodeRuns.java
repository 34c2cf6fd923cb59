package io.linkflow.executor.run;

import io.linkflow.clients.InternalCallException;
import io.linkflow.clients.VariablesClient;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeRun;
import io.linkflow.engine.NodeRunner;
import io.linkflow.engine.wire.NodeOutcome;
import io.linkflow.engine.wire.NodeTask;
import io.linkflow.engine.wire.Wire;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.ExecutionCommandV1;
import io.linkflow.events.payload.NodeResultV1;
import io.linkflow.executor.ExecutorConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs {@code execution.run_node} commands on a bounded pool of worker threads, concurrently and
 * independently of their partition: each run is bounded by min(command deadline, node timeout) by a
 * watchdog, can be stopped by {@code execution.abort_node}, and answers exactly one {@link
 * NodeResultV1}. The command is acknowledged (its offset may then be committed) only once Kafka
 * acknowledged the result.
 */
@ApplicationScoped
public class NodeRuns {

  private static final Logger LOG = Logger.getLogger(NodeRuns.class);
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
    Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
    Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(300)
  };

  /** Catalog types not available in this release: answered at once, never run. */
  static final Set<String> NOT_AVAILABLE = Set.of("linkflow.file", "linkflow.sendNotification");

  private final ExecutorConfig config;
  private final NodeRunner runner;
  private final VariablesClient variables;
  private final ResultPublisher publisher;
  private final MeterRegistry registry;
  private final String source;
  private final String worker;
  private final Admission admission;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService watchdog;
  private final ExecutorService answers;
  private final Map<UUID, Set<RunControl>> running = new ConcurrentHashMap<>();
  private final AtomicInteger busy = new AtomicInteger();

  public NodeRuns(
      ExecutorConfig config,
      NodeRunner runner,
      VariablesClient variables,
      ResultPublisher publisher,
      MeterRegistry registry,
      @ConfigProperty(name = "quarkus.application.name") String application) {
    this.config = config;
    this.runner = runner;
    this.variables = variables;
    this.publisher = publisher;
    this.registry = registry;
    this.source = "/services/" + application.replaceFirst("-service$", "");
    this.worker = workerName();
    this.admission = new Admission(config.concurrency() + Math.max(0, config.backlog()));
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            config.concurrency(),
            config.concurrency(),
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread thread = new Thread(r, "node-run-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "node-run-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    this.answers =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "node-run-answers");
              thread.setDaemon(true);
              return thread;
            });
    Gauge.builder("worker.jobs.running", busy, AtomicInteger::get)
        .description("Node runs executing now")
        .register(registry);
    Gauge.builder("worker.jobs.waiting", pool, p -> p.getQueue().size())
        .description("Node runs accepted and waiting for a worker")
        .register(registry);
  }

  /**
   * Takes a run_node command. The returned Uni completes once this executor has room for it (the
   * consumer reads the next record only then); {@code ack} is called once its result is in Kafka.
   */
  public Uni<Void> submit(
      ExecutionCommandV1 command, EventEnvelope event, Supplier<CompletionStage<Void>> ack) {
    return admission
        .acquire()
        .invoke(
            () -> {
              Instant received = Instant.now();
              RunControl control = new RunControl(command.nodeRunId());
              running
                  .computeIfAbsent(command.nodeRunId(), k -> new CopyOnWriteArraySet<>())
                  .add(control);
              Job job = new Job(command, event, control, received);
              control
                  .answer()
                  .whenCompleteAsync((outcome, error) -> answered(job, outcome, ack), answers);
              try {
                pool.execute(() -> run(job));
              } catch (RejectedExecutionException e) {
                // the executor is stopping: leave the command unacknowledged, so it is delivered
                // again (to another executor), rather than failing it into the dead letter queue
                forget(control);
                admission.release();
              }
            });
  }

  /**
   * Stops the runs of {@code nodeRunId} on this executor (running or waiting), which answer failed
   * with kind {@code aborted}. Returns false when none runs here (the abort is ignored).
   */
  public boolean abort(UUID nodeRunId) {
    Set<RunControl> controls = running.get(nodeRunId);
    if (controls == null || controls.isEmpty()) {
      return false;
    }
    for (RunControl control : controls) {
      // stopping may wait for the JavaScript engine to leave the context: not on the event loop
      watchdog.execute(
          () ->
              control.stop(
                  NodeOutcome.failure(
                      "the run was aborted (the execution was cancelled or moved on)",
                      NodeOutcome.ABORTED,
                      false)));
    }
    return true;
  }

  private static final class Job {
    final ExecutionCommandV1 command;
    final EventEnvelope event;
    final RunControl control;
    final Instant received;

    /** The node, once a worker read the task (null if the run was answered before). */
    volatile NodeTask.TaskNode node;

    Job(ExecutionCommandV1 command, EventEnvelope event, RunControl control, Instant received) {
      this.command = command;
      this.event = event;
      this.control = control;
      this.received = received;
    }

    ExecutionCommandV1 command() {
      return command;
    }

    EventEnvelope event() {
      return event;
    }

    RunControl control() {
      return control;
    }

    Instant received() {
      return received;
    }
  }

  /** What a worker thread does with one command. */
  private void run(Job job) {
    RunControl control = job.control();
    ScheduledFuture<?> timer = null;
    busy.incrementAndGet();
    try {
      if (control.answer().isDone()) {
        return; // aborted while waiting for a worker
      }
      ExecutionCommandV1 command = job.command();
      NodeTask task;
      try {
        task = Wire.read(command.task(), NodeTask.class);
      } catch (RuntimeException e) {
        control.complete(
            NodeOutcome.failure(
                "the executor could not read the node run's task: " + rootMessage(e),
                NodeOutcome.NODE,
                false));
        return;
      }
      if (task != null) {
        job.node = task.node();
      }
      if (task == null || task.node() == null || task.node().type() == null) {
        control.complete(
            NodeOutcome.failure("the node run's task names no node", NodeOutcome.NODE, false));
        return;
      }
      Instant now = Instant.now();
      Instant deadline = deadline(command, task, now);
      String name = task.node().name();
      if (!now.isBefore(deadline)) {
        control.complete(
            NodeOutcome.failure(
                "node \"" + name + "\" was not run: its deadline " + deadline + " had passed",
                NodeOutcome.TIMEOUT,
                true));
        return;
      }
      long budgetMs = Duration.between(now, deadline).toMillis();
      timer =
          watchdog.schedule(
              () ->
                  control.stop(
                      NodeOutcome.failure(
                          "node \"" + name + "\" ran past its deadline (" + seconds(budgetMs) + ")",
                          NodeOutcome.TIMEOUT,
                          true)),
              budgetMs,
              TimeUnit.MILLISECONDS);
      String type = task.node().type();
      if (NOT_AVAILABLE.contains(type)) {
        control.complete(
            NodeOutcome.failure(
                "node type " + type + " is not available in this release",
                NodeOutcome.NODE,
                false));
        return;
      }
      String workspaceId =
          task.workspaceId() != null ? task.workspaceId() : job.event().workspaceId();
      Map<String, String> vars = Map.of();
      if (task.usesVariables()) {
        try {
          vars =
              variables
                  .values(workspaceId)
                  .await()
                  .atMost(
                      Duration.ofMillis(
                          Math.max(1, deadline.toEpochMilli() - System.currentTimeMillis())));
        } catch (InternalCallException e) {
          control.complete(
              NodeOutcome.failure(
                  "node \""
                      + name
                      + "\": the workflow's variables ($vars) could not be read: "
                      + e.getMessage(),
                  NodeOutcome.NODE,
                  e.retryable()));
          return;
        } catch (io.smallrye.mutiny.TimeoutException e) {
          return; // the watchdog answers
        }
      }
      NodeRun nodeRun;
      try {
        nodeRun = task.toNodeRun(vars);
      } catch (RuntimeException e) {
        control.complete(
            NodeOutcome.failure(
                "node \"" + name + "\" cannot run: " + rootMessage(e), NodeOutcome.NODE, false));
        return;
      }
      RunContext.set(
          new RunContext(
              workspaceId,
              command.executionId().toString(),
              task.node().credentials(),
              deadline,
              control));
      control.enter(Thread.currentThread());
      try {
        control.complete(NodeOutcome.success(runner.run(nodeRun)));
      } catch (NodeException e) {
        String kind = control.failureKind();
        control.complete(
            kind == null
                ? NodeOutcome.failure(e)
                : new NodeOutcome(
                    null,
                    null,
                    new NodeOutcome.Failure(
                        e.getMessage(), kind, e.retryable(), e.parameter(), e.details())));
      } finally {
        control.leave();
        RunContext.clear();
      }
    } catch (Throwable e) {
      if (!control.answer().isDone()) {
        LOG.errorf(e, "Node run %s failed unexpectedly", control.nodeRunId());
      }
      control.complete(
          NodeOutcome.failure(
              "the executor failed unexpectedly: " + e.getClass().getSimpleName(),
              NodeOutcome.NODE,
              true));
    } finally {
      if (timer != null) {
        timer.cancel(false);
      }
      busy.decrementAndGet();
      forget(control);
      admission.release();
    }
  }

  /** min(command deadline, now + node timeout); the executor's default when neither is set. */
  private Instant deadline(ExecutionCommandV1 command, NodeTask task, Instant now) {
    Instant deadline = command.deadline();
    Integer timeout = task.node().timeoutSeconds();
    if (timeout != null && timeout > 0) {
      Instant byTimeout = now.plusSeconds(timeout);
      deadline = deadline == null || byTimeout.isBefore(deadline) ? byTimeout : deadline;
    }
    return deadline != null ? deadline : now.plus(config.defaultTimeout());
  }

  private void forget(RunControl control) {
    running.computeIfPresent(
        control.nodeRunId(),
        (id, controls) -> {
          controls.remove(control);
          return controls.isEmpty() ? null : controls;
        });
  }

  /** Publishes the answer, then acknowledges the command. */
  private void answered(Job job, NodeOutcome outcome, Supplier<CompletionStage<Void>> ack) {
    ExecutionCommandV1 command = job.command();
    Instant finished = Instant.now();
    NodeTask.TaskNode node = job.node != null ? job.node : nodeOf(command);
    String type = node == null || node.type() == null ? "unknown" : node.type();
    String name = node == null ? "?" : node.name();
    String outcomeJson = Wire.write(outcome);
    long size = outcomeJson.getBytes(StandardCharsets.UTF_8).length;
    long limit = config.maxResultBytes().asLongValue();
    if (size > limit) {
      outcome = tooLarge(name, size, limit, "result limit (linkflow.executor.max-result-bytes)");
      outcomeJson = Wire.write(outcome);
    }
    EventEnvelope result = envelope(job, command, outcome, outcomeJson, finished);
    if (result.data().length > ResultPublisher.MAX_REQUEST_BYTES - 64 * 1024) {
      outcome =
          tooLarge(
              name,
              result.data().length,
              ResultPublisher.MAX_REQUEST_BYTES - 64 * 1024,
              "Kafka record limit");
      outcomeJson = Wire.write(outcome);
      result = envelope(job, command, outcome, outcomeJson, finished);
    }
    NodeOutcome published = outcome;
    String status = published.succeeded() ? "succeeded" : "failed";
    Duration duration = Duration.between(job.received(), finished);
    publisher
        .publish(Topic.EXECUTION_RESULTS.topicName(), result)
        .whenComplete(
            (ignored, error) -> {
              if (error != null) {
                LOG.warnf(
                    "Result of node run %s not published (%s); the command will be redelivered",
                    command.nodeRunId(), error.toString());
                return;
              }
              Counter.builder("worker.jobs.processed")
                  .description("Node runs answered, by node type and status")
                  .tag("type", type)
                  .tag("status", status)
                  .register(registry)
                  .increment();
              Timer.builder("worker.job.duration")
                  .description("Time from taking a command to answering it")
                  .tag("type", type)
                  .tag("status", status)
                  .serviceLevelObjectives(BUCKETS)
                  .register(registry)
                  .record(duration);
              log(job, node, type, status, published, duration);
              ack.get();
            });
  }

  private EventEnvelope envelope(
      Job job,
      ExecutionCommandV1 command,
      NodeOutcome outcome,
      String outcomeJson,
      Instant finished) {
    NodeResultV1 payload =
        new NodeResultV1(
            command.commandId(),
            command.executionId(),
            command.nodeRunId(),
            command.attempt(),
            outcome.succeeded() ? "succeeded" : "failed",
            outcomeJson,
            job.received(),
            finished,
            worker);
    return EventCodec.envelope(
            EventTypes.NODE_RESULT_V1,
            source,
            command.executionId().toString(),
            job.event().workspaceId(),
            payload)
        .withTrace(job.event().traceparent(), job.event().tracestate());
  }

  private static NodeOutcome tooLarge(String name, long size, long limit, String what) {
    return NodeOutcome.failure(
        "node \""
            + name
            + "\" produced "
            + io.linkflow.executor.Sizes.bytes(size)
            + " of output, more than the "
            + io.linkflow.executor.Sizes.bytes(limit)
            + " "
            + what,
        NodeOutcome.LIMIT,
        false);
  }

  private void log(
      Job job,
      NodeTask.TaskNode node,
      String type,
      String status,
      NodeOutcome outcome,
      Duration duration) {
    ExecutionCommandV1 command = job.command();
    MDC.put("execution_id", command.executionId().toString());
    MDC.put("node_run_id", command.nodeRunId().toString());
    MDC.put("node_id", node == null ? "" : String.valueOf(node.id()));
    MDC.put("node_type", type);
    MDC.put("attempt", command.attempt());
    MDC.put("status", status);
    MDC.put("duration_ms", duration.toNanos() / 1_000_000.0);
    if (job.event().workspaceId() != null) {
      MDC.put("workspace_id", job.event().workspaceId());
    }
    if (!outcome.succeeded()) {
      MDC.put("failure_kind", outcome.error().kind());
      MDC.put("retryable", outcome.error().retryable());
    }
    try {
      LOG.infof("Node run %s %s", command.nodeRunId(), status);
    } finally {
      for (String key :
          new String[] {
            "execution_id",
            "node_run_id",
            "node_id",
            "node_type",
            "attempt",
            "status",
            "duration_ms",
            "workspace_id",
            "failure_kind",
            "retryable"
          }) {
        MDC.remove(key);
      }
    }
  }

  private static NodeTask.TaskNode nodeOf(ExecutionCommandV1 command) {
    try {
      NodeTask task = Wire.read(command.task(), NodeTask.class);
      return task == null ? null : task.node();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** How many runs are executing or waiting here now. */
  public int held() {
    return admission.held();
  }

  void stop(@Observes @Priority(1) ShutdownEvent ignored) {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warnf(
            "Stopping with %d node runs unfinished; their commands will be redelivered",
            busy.get() + pool.getQueue().size());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    watchdog.shutdownNow();
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static String workerName() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "unknown";
      }
    }
    return host + "/" + ProcessHandle.current().pid();
  }
}
