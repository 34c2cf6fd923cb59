package io.linkflow.engine;

import io.linkflow.engine.nodes.ConditionalHandlers;
import io.linkflow.engine.nodes.CryptoHandler;
import io.linkflow.engine.nodes.DateTimeHandler;
import io.linkflow.engine.nodes.LimitHandler;
import io.linkflow.engine.nodes.MergeHandler;
import io.linkflow.engine.nodes.NoOpHandler;
import io.linkflow.engine.nodes.RespondToWebhookHandler;
import io.linkflow.engine.nodes.SetHandler;
import io.linkflow.engine.nodes.SortHandler;
import io.linkflow.engine.nodes.SplitInBatchesHandler;
import io.linkflow.engine.nodes.StopAndErrorHandler;
import io.linkflow.engine.nodes.SwitchHandler;
import io.linkflow.engine.nodes.TriggerHandler;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The handlers by node type. */
public final class NodeRegistry {

  /**
   * Catalog types whose handlers need I/O, unbounded time or other services, and therefore run in
   * executor-service (not in this library, never inline).
   */
  public static final Set<String> EXECUTOR_SERVICE_TYPES =
      Set.of(
          "linkflow.code",
          "linkflow.httpRequest",
          "linkflow.wait",
          "linkflow.executeWorkflow",
          "linkflow.file",
          "linkflow.sendNotification");

  private final Map<String, NodeHandler> handlers;
  private final Set<String> inline;

  public NodeRegistry(Collection<NodeHandler> handlers, Set<String> inline) {
    Map<String, NodeHandler> map = new LinkedHashMap<>();
    for (NodeHandler h : handlers) {
      if (map.put(h.type(), h) != null) {
        throw new IllegalArgumentException("two handlers for " + h.type());
      }
    }
    this.handlers = Map.copyOf(map);
    this.inline = Set.copyOf(inline);
  }

  /** The handlers of this library; all of them are inline. */
  public static NodeRegistry builtIn() {
    List<NodeHandler> all =
        List.of(
            new TriggerHandler("linkflow.manualTrigger"),
            new TriggerHandler("linkflow.webhookTrigger"),
            new TriggerHandler("linkflow.scheduleTrigger"),
            new TriggerHandler("linkflow.eventTrigger"),
            new TriggerHandler("linkflow.errorTrigger"),
            new SetHandler(),
            ConditionalHandlers.ifHandler(),
            ConditionalHandlers.filterHandler(),
            new SwitchHandler(),
            new SortHandler(),
            new LimitHandler(),
            new MergeHandler(),
            new SplitInBatchesHandler(),
            new CryptoHandler(),
            new DateTimeHandler(),
            new NoOpHandler(),
            new RespondToWebhookHandler(),
            new StopAndErrorHandler());
    return new NodeRegistry(
        all, all.stream().map(NodeHandler::type).collect(java.util.stream.Collectors.toSet()));
  }

  /** A registry with these handlers added (or replaced), e.g. executor-service's I/O nodes. */
  public NodeRegistry with(Collection<NodeHandler> more) {
    Map<String, NodeHandler> map = new LinkedHashMap<>(handlers);
    more.forEach(h -> map.put(h.type(), h));
    Set<String> stillInline = new java.util.HashSet<>(inline);
    more.forEach(h -> stillInline.remove(h.type()));
    return new NodeRegistry(map.values(), stillInline);
  }

  public Optional<NodeHandler> handler(String type) {
    return Optional.ofNullable(handlers.get(type));
  }

  /** All handled types. */
  public Set<String> types() {
    return handlers.keySet();
  }

  /**
   * Whether a node of this type is pure and bounded in time (no I/O, no waiting, no user code), so
   * execution-service may run it inline instead of dispatching it to an executor.
   */
  public boolean isInline(String type) {
    return inline.contains(type);
  }
}
