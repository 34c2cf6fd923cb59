package io.linkflow.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.nodes.NodeType;
import io.linkflow.nodes.Port;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The entry point: looks up a node's handler, runs it, enforces the {@link Limits} and the type's
 * output ports, and turns unexpected exceptions into a {@link NodeException} naming the node.
 */
public final class NodeRunner {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NodeRegistry registry;
  private final NodeContext context;

  public NodeRunner(NodeRegistry registry, NodeContext context) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.context = Objects.requireNonNull(context, "context");
  }

  public NodeRegistry registry() {
    return registry;
  }

  public NodeContext context() {
    return context;
  }

  /**
   * Runs one node.
   *
   * @throws NodeException on any failure, with a message for the workflow author
   */
  public NodeResult run(NodeRun run) {
    NodeHandler handler =
        registry
            .handler(run.type())
            .orElseThrow(
                () -> NodeException.of(run, "node type " + run.type() + " is not run here"));
    NodeType type = context.nodeType(run);
    NodeResult result;
    try {
      result = handler.run(run, context);
    } catch (NodeException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new NodeException(
          run.nodeId(),
          run.nodeName(),
          "node \"" + run.nodeName() + "\" failed unexpectedly: " + e,
          false,
          null,
          null,
          e);
    }
    if (result == null) {
      result = NodeResult.empty();
    }
    check(run, type, result);
    return result;
  }

  private void check(NodeRun run, NodeType type, NodeResult result) {
    Set<String> ports = type.outputs().stream().map(Port::name).collect(Collectors.toSet());
    Limits limits = context.limits();
    for (Map.Entry<String, List<ObjectNode>> output : result.outputs().entrySet()) {
      String port = output.getKey();
      List<ObjectNode> items = output.getValue();
      if (!ports.contains(port) && !items.isEmpty()) {
        throw NodeException.of(run, "node type " + run.type() + " has no output " + port);
      }
      String name = Ports.MAIN.equals(port) ? "output" : "output \"" + port + "\"";
      if (items.size() > limits.maxItemsPerOutput()) {
        throw NodeException.of(
            run,
            String.format(
                Locale.ROOT,
                "%s has %,d items, more than the %,d limit",
                name,
                items.size(),
                limits.maxItemsPerOutput()));
      }
      for (int i = 0; i < items.size(); i++) {
        long bytes = size(items.get(i));
        if (bytes > limits.maxItemBytes()) {
          String size =
              bytes(bytes).equals(bytes(limits.maxItemBytes())) ? bytes + " bytes" : bytes(bytes);
          throw NodeException.of(
              run,
              name
                  + " item "
                  + i
                  + " is "
                  + size
                  + ", more than the "
                  + bytes(limits.maxItemBytes())
                  + " limit");
        }
      }
    }
  }

  private static long size(ObjectNode item) {
    try {
      return JSON.writeValueAsBytes(item).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** 1 MiB, 1.4 MiB, 512 KiB, 900 bytes. */
  static String bytes(long n) {
    if (n >= 1024 * 1024) {
      return decimal(n / (1024.0 * 1024)) + " MiB";
    }
    if (n >= 1024) {
      return decimal(n / 1024.0) + " KiB";
    }
    return n + " bytes";
  }

  private static String decimal(double d) {
    double rounded = Math.round(d * 10) / 10.0;
    return rounded == Math.rint(rounded)
        ? String.valueOf((long) rounded)
        : String.format(Locale.ROOT, "%.1f", rounded);
  }
}
