package io.linkflow.executor.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.NodeContext;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeHandler;
import io.linkflow.engine.NodeResult;
import io.linkflow.engine.NodeRun;
import io.linkflow.engine.wire.NodeOutcome;
import io.linkflow.executor.ExecutorConfig;
import io.linkflow.executor.run.RunContext;
import io.linkflow.expressions.Scope;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.jboss.logging.Logger;

/**
 * Code ({@code linkflow.code}, catalog code.v1): the author's JavaScript in a GraalJS context
 * without host access, IO, threads, native code, processes, polyglot or environment access; one
 * context per run on a shared {@link Engine}. Items cross as JSON text. Bounded by a statement
 * limit, a wall-clock limit ({@code timeoutMs}, and the run's deadline) and an allocation budget
 * ({@code memoryMb}); see the README for what the latter measures.
 */
@ApplicationScoped
public class CodeHandler implements NodeHandler {

  public static final String TYPE = "linkflow.code";

  /** The source name of the author's code in error messages and stack traces. */
  static final String SOURCE_NAME = "Code";

  private static final Logger LOG = Logger.getLogger(CodeHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MIB = 1024 * 1024;
  private static final Pattern LINE =
      Pattern.compile("(?:^|[\\s(])" + SOURCE_NAME + ":(\\d+)", Pattern.MULTILINE);

  private enum Stop {
    TIMEOUT,
    MEMORY
  }

  private final ExecutorConfig.Code config;
  private final ScheduledExecutorService watchdog;
  private final com.sun.management.ThreadMXBean threads;
  private final String prelude;
  private final String runner;
  private volatile Engine engine;

  public CodeHandler(ExecutorConfig config) {
    this.config = config.code();
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "code-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    this.threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    if (threads.isThreadAllocatedMemorySupported() && !threads.isThreadAllocatedMemoryEnabled()) {
      threads.setThreadAllocatedMemoryEnabled(true);
    }
    this.prelude = resource("code/prelude.js");
    this.runner = resource("code/runner.js");
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** Creates the shared engine now if it does not exist yet. */
  public void engineReady() {
    engine();
  }

  /** The shared engine, created on first use (about a second). */
  Engine engine() {
    Engine current = engine;
    if (current == null) {
      synchronized (this) {
        current = engine;
        if (current == null) {
          current =
              Engine.newBuilder("js")
                  .option("engine.WarnInterpreterOnly", "false")
                  .out(OutputStreamNull.INSTANCE)
                  .err(OutputStreamNull.INSTANCE)
                  .build();
          engine = current;
        }
      }
    }
    return current;
  }

  @Override
  public NodeResult run(NodeRun run, NodeContext context) {
    RunContext runContext = RunContext.current();
    ObjectNode withDefaults = context.withDefaults(run);
    JsonNode codeParameter = withDefaults.get("code");
    if (codeParameter == null || !codeParameter.isTextual() || codeParameter.asText().isBlank()) {
      throw Failures.parameter(run, "/code", "required: the JavaScript to run");
    }
    String code = codeParameter.asText();
    // every parameter but the code may be an expression; the code is JavaScript, never resolved
    ObjectNode others = run.parameters().deepCopy();
    others.remove("code");
    ObjectNode parameters =
        context.parameters(
            new NodeRun(
                run.nodeId(),
                run.nodeName(),
                run.type(),
                run.typeVersion(),
                others,
                run.inputs(),
                run.scope(),
                run.state(),
                run.timezone()));
    String mode = parameters.path("mode").asText("allItems");
    if (!"allItems".equals(mode) && !"eachItem".equals(mode)) {
      throw Failures.parameter(run, "/mode", "must be allItems or eachItem");
    }
    long timeoutMs = Math.max(1, parameters.path("timeoutMs").asLong(10_000));
    long memoryMb = Math.max(1, parameters.path("memoryMb").asLong(64));
    long asked = memoryMb * MIB * Math.max(1, config.allocationFactor());
    // a script that keeps what it allocates must not exhaust the heap the other runs share
    long cap = java.lang.Runtime.getRuntime().maxMemory() / 4;
    long budget = Math.min(asked, cap);
    String budgetText =
        budget / MIB
            + " MB ("
            + (budget < asked
                ? "capped at a quarter of the executor's heap"
                : "memoryMb " + memoryMb + " × " + config.allocationFactor())
            + ")";

    String inputJson = json(itemsArray(run.main()));
    String bindingsJson = json(bindings(run.scope()));
    ConsoleCapture console = new ConsoleCapture(config.maxConsoleLines());
    AtomicReference<Stop> stopped = new AtomicReference<>();
    Context js = newContext(console);
    long thread = Thread.currentThread().threadId();
    long allocatedAtStart = threads.getThreadAllocatedBytes(thread);
    Runnable unregister = runContext.control().onStop(() -> js.close(true));
    ScheduledFuture<?> timer =
        watchdog.schedule(
            () -> {
              if (stopped.compareAndSet(null, Stop.TIMEOUT)) {
                js.close(true);
              }
            },
            timeoutMs,
            TimeUnit.MILLISECONDS);
    ScheduledFuture<?> memory =
        watchdog.scheduleAtFixedRate(
            () -> {
              long allocated = threads.getThreadAllocatedBytes(thread) - allocatedAtStart;
              if (allocated > budget && stopped.compareAndSet(null, Stop.MEMORY)) {
                js.close(true);
              }
            },
            10,
            10,
            TimeUnit.MILLISECONDS);
    String resultJson;
    try {
      js.eval(Source.newBuilder("js", prelude, "linkflow-prelude.js").internal(true).build())
          .execute(bindingsJson);
      Value function =
          js.eval(
              Source.newBuilder(
                      "js",
                      "(async function (items, $input, $json, item, $index) {" + code + "\n})",
                      SOURCE_NAME)
                  .build());
      Value state =
          js.eval(Source.newBuilder("js", runner, "linkflow-runner.js").internal(true).build())
              .execute(function, mode, inputJson);
      // promise jobs run when the outermost call returns; read the outcome in a new call
      if (!state.getMember("done").asBoolean()) {
        throw Failures.fail(
            run,
            "the code did not finish: it awaits something that never happens (there are no timers"
                + " or I/O in the Code node)",
            false,
            consoleDetails(null, console));
      }
      Value error = state.getMember("error");
      if (!error.isNull()) {
        String message = error.asString();
        if ("result".equals(state.getMember("kind").asString())) {
          throw Failures.fail(run, message, false, consoleDetails(null, console));
        }
        Integer line = line(state.getMember("stack"));
        throw Failures.fail(
            run,
            message + (line == null ? "" : " (line " + line + ")"),
            false,
            consoleDetails(line, console));
      }
      resultJson = state.getMember("result").asString();
    } catch (PolyglotException e) {
      throw translate(run, runContext, e, stopped.get(), timeoutMs, budgetText, console);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalStateException e) {
      // the context was closed by a stop between two calls
      throw translate(run, runContext, null, stopped.get(), timeoutMs, budgetText, console);
    } finally {
      timer.cancel(false);
      memory.cancel(false);
      unregister.run();
      try {
        js.close(true);
      } catch (RuntimeException ignored) {
        // a cancelled context reports its cancellation again on close
      }
    }
    return NodeResult.main(items(run, resultJson));
  }

  private NodeException translate(
      NodeRun run,
      RunContext runContext,
      PolyglotException e,
      Stop stopped,
      long timeoutMs,
      String budget,
      ConsoleCapture console) {
    if (stopped == Stop.TIMEOUT) {
      runContext.control().failAs(NodeOutcome.TIMEOUT);
      return Failures.fail(
          run,
          "the code ran longer than its timeoutMs (" + timeoutMs + " ms) and was stopped",
          false,
          consoleDetails(null, console));
    }
    if (stopped == Stop.MEMORY) {
      runContext.control().failAs(NodeOutcome.LIMIT);
      return Failures.fail(
          run,
          "the code allocated more than its memory budget of " + budget + " and was stopped",
          false,
          consoleDetails(null, console));
    }
    if (e == null || runContext.control().stopped()) {
      return Failures.fail(run, "the code was stopped", false);
    }
    if (e.isResourceExhausted()) {
      runContext.control().failAs(NodeOutcome.LIMIT);
      return Failures.fail(
          run,
          "the code ran more than "
              + String.format(java.util.Locale.ROOT, "%,d", config.statementLimit())
              + " statements and was stopped",
          false,
          consoleDetails(null, console));
    }
    if (e.isCancelled()) {
      return Failures.fail(run, "the code was stopped", false);
    }
    Integer line = null;
    if (e.isGuestException() || e.isSyntaxError()) {
      if (e.getSourceLocation() != null
          && SOURCE_NAME.equals(e.getSourceLocation().getSource().getName())) {
        line = e.getSourceLocation().getStartLine();
      } else {
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
          if (frame.isGuestFrame()
              && frame.getSourceLocation() != null
              && SOURCE_NAME.equals(frame.getSourceLocation().getSource().getName())) {
            line = frame.getSourceLocation().getStartLine();
            break;
          }
        }
      }
      return Failures.fail(
          run,
          e.getMessage() + (line == null ? "" : " (line " + line + ")"),
          false,
          consoleDetails(line, console));
    }
    LOG.warnf("Code node %s failed inside the JavaScript engine: %s", run.nodeId(), e.toString());
    return Failures.fail(
        run,
        "the JavaScript engine failed: " + e.getMessage(),
        false,
        consoleDetails(null, console));
  }

  private Context newContext(ConsoleCapture console) {
    return Context.newBuilder("js")
        .engine(engine())
        .allowHostAccess(HostAccess.NONE)
        .allowHostClassLookup(name -> false)
        .allowHostClassLoading(false)
        .allowIO(IOAccess.NONE)
        .allowCreateThread(false)
        .allowCreateProcess(false)
        .allowNativeAccess(false)
        .allowPolyglotAccess(PolyglotAccess.NONE)
        .allowEnvironmentAccess(EnvironmentAccess.NONE)
        .allowExperimentalOptions(false)
        .option("js.load", "false")
        .option("js.graal-builtin", "false")
        .option("js.console", "true")
        .out(console)
        .err(console)
        .resourceLimits(
            ResourceLimits.newBuilder().statementLimit(config.statementLimit(), null).build())
        .build();
  }

  private static ArrayNode itemsArray(List<ObjectNode> items) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    items.forEach(array::add);
    return array;
  }

  /** $node ({Name: {json, items}}), $vars, $execution, $workflow, $now. */
  private static ObjectNode bindings(Scope scope) {
    ObjectNode bindings = JsonNodeFactory.instance.objectNode();
    ObjectNode nodes = bindings.putObject("node");
    for (Map.Entry<String, List<JsonNode>> node : scope.nodes().entrySet()) {
      ObjectNode entry = nodes.putObject(node.getKey());
      List<JsonNode> items = node.getValue();
      entry.set("json", items.isEmpty() ? JsonNodeFactory.instance.objectNode() : items.get(0));
      ArrayNode all = entry.putArray("items");
      items.forEach(all::add);
    }
    ObjectNode vars = bindings.putObject("vars");
    scope.vars().forEach(vars::put);
    ObjectNode execution = bindings.putObject("execution");
    execution.put("id", scope.executionId());
    execution.put("mode", scope.executionMode());
    ObjectNode workflow = bindings.putObject("workflow");
    workflow.put("id", scope.workflowId());
    workflow.put("name", scope.workflowName());
    bindings.put("now", scope.now() == null ? null : scope.now().toString());
    return bindings;
  }

  private static List<ObjectNode> items(NodeRun run, String resultJson) {
    try {
      JsonNode parsed = JSON.readTree(resultJson);
      List<ObjectNode> items = new ArrayList<>(parsed.size());
      parsed.forEach(item -> items.add((ObjectNode) item));
      return items;
    } catch (IOException | ClassCastException e) {
      throw Failures.fail(run, "the returned items could not be read", false);
    }
  }

  private static ObjectNode consoleDetails(Integer line, ConsoleCapture console) {
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    if (line != null) {
      details.put("line", line);
    }
    List<String> lines = console.lines();
    if (!lines.isEmpty()) {
      ArrayNode printed = details.putArray("console");
      lines.forEach(printed::add);
      if (console.dropped() > 0) {
        details.put("consoleLinesDropped", console.dropped());
      }
    }
    return details.isEmpty() ? null : details;
  }

  private static Integer line(Value stack) {
    if (stack == null || stack.isNull() || !stack.isString()) {
      return null;
    }
    Matcher matcher = LINE.matcher(stack.asString());
    return matcher.find() ? Integer.valueOf(matcher.group(1)) : null;
  }

  private static String json(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = CodeHandler.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @PreDestroy
  void close() {
    watchdog.shutdownNow();
    Engine current = engine;
    if (current != null) {
      current.close(true);
    }
  }

  /** Discards what the engine itself prints. */
  private static final class OutputStreamNull extends java.io.OutputStream {
    static final OutputStreamNull INSTANCE = new OutputStreamNull();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
