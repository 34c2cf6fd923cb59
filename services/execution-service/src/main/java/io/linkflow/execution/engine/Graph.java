package io.linkflow.execution.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.nodes.Catalog;
import io.linkflow.nodes.NodeType;
import io.linkflow.nodes.Port;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A pinned workflow version as the orchestrator walks it: nodes by id, edges by source and target,
 * and the settings. Built once per version (versions never change) and shared.
 */
public final class Graph {

  /** Trigger node type for each execution mode, when the request does not name the node. */
  private static final Map<String, String> TRIGGER_OF_MODE =
      Map.of(
          "manual", "linkflow.manualTrigger",
          "webhook", "linkflow.webhookTrigger",
          "schedule", "linkflow.scheduleTrigger",
          "event", "linkflow.eventTrigger",
          "error", "linkflow.errorTrigger",
          "sub-workflow", "linkflow.manualTrigger");

  /**
   * One node of the version.
   *
   * @param maxAttempts total attempts of a retryable failure (1 = no retry)
   * @param delaySeconds wait before the first retry
   * @param backoff {@code exponential} (the delay doubles each attempt) or {@code fixed}
   */
  public record NodeDef(
      String id,
      String name,
      String type,
      int typeVersion,
      ObjectNode parameters,
      Map<String, String> credentials,
      int maxAttempts,
      int delaySeconds,
      String backoff,
      Integer timeoutSeconds,
      boolean continueOnFail,
      boolean disabled,
      boolean trigger,
      List<String> outputPorts) {

    public String firstOutput() {
      return outputPorts.isEmpty() ? "main" : outputPorts.get(0);
    }
  }

  /**
   * An edge: items leave {@code fromNode}'s {@code fromPort} into {@code toNode}'s {@code toPort}.
   */
  public record Edge(String fromNode, String fromPort, String toNode, String toPort) {}

  /** The version's settings with their defaults. */
  public record Settings(
      String timezone,
      UUID errorWorkflowId,
      int executionTimeoutSeconds,
      String saveExecutionData,
      Integer concurrencyLimit) {}

  private final UUID versionId;
  private final UUID workflowId;
  private final String workflowName;
  private final Map<String, NodeDef> nodes;
  private final Map<String, List<Edge>> outgoing;
  private final Map<String, List<Edge>> incoming;
  private final Settings settings;
  private final boolean usesVariables;

  private Graph(
      UUID versionId,
      UUID workflowId,
      String workflowName,
      Map<String, NodeDef> nodes,
      List<Edge> edges,
      Settings settings,
      boolean usesVariables) {
    this.versionId = versionId;
    this.workflowId = workflowId;
    this.workflowName = workflowName;
    this.nodes = nodes;
    this.settings = settings;
    this.usesVariables = usesVariables;
    this.outgoing = new LinkedHashMap<>();
    this.incoming = new LinkedHashMap<>();
    for (Edge e : edges) {
      outgoing.computeIfAbsent(e.fromNode(), k -> new ArrayList<>()).add(e);
      incoming.computeIfAbsent(e.toNode(), k -> new ArrayList<>()).add(e);
    }
  }

  /**
   * Reads a version as workflow-service serves it: {@code {id, workflowId, name, nodes,
   * connections, settings}} (also accepted with the last three under {@code definition}); fields it
   * does not know are ignored.
   */
  public static Graph of(JsonNode version, Catalog catalog) {
    JsonNode definition = version.has("definition") ? version.path("definition") : version;
    Map<String, NodeDef> nodes = new LinkedHashMap<>();
    for (JsonNode n : definition.path("nodes")) {
      String type = n.path("type").asText();
      int typeVersion = n.path("typeVersion").asInt(1);
      Optional<NodeType> nodeType = catalog.nodeType(type, typeVersion);
      Map<String, String> credentials = new LinkedHashMap<>();
      n.path("credentials")
          .fields()
          .forEachRemaining(c -> credentials.put(c.getKey(), c.getValue().path("id").asText()));
      JsonNode retry = n.path("retry");
      nodes.put(
          n.path("id").asText(),
          new NodeDef(
              n.path("id").asText(),
              n.path("name").asText(),
              type,
              typeVersion,
              n.path("parameters").isObject()
                  ? (ObjectNode) n.path("parameters")
                  : JsonNodeFactory.instance.objectNode(),
              Map.copyOf(credentials),
              Math.max(1, retry.path("maxAttempts").asInt(1)),
              Math.max(0, retry.path("delaySeconds").asInt(1)),
              retry.path("backoff").asText("exponential"),
              n.hasNonNull("timeoutSeconds") ? n.get("timeoutSeconds").asInt() : null,
              n.path("continueOnFail").asBoolean(false),
              n.path("disabled").asBoolean(false),
              nodeType.map(t -> NodeType.TRIGGER.equals(t.kind())).orElse(false),
              nodeType.map(t -> t.outputs().stream().map(Port::name).toList()).orElse(List.of())));
    }
    List<Edge> edges = new ArrayList<>();
    for (JsonNode c : definition.path("connections")) {
      edges.add(
          new Edge(
              c.path("from").path("node").asText(),
              port(c.path("from").path("port")),
              c.path("to").path("node").asText(),
              port(c.path("to").path("port"))));
    }
    JsonNode s = definition.path("settings");
    String error = s.path("errorWorkflowId").asText(null);
    Settings settings =
        new Settings(
            s.path("timezone").asText("UTC"),
            error == null || error.isBlank() ? null : UUID.fromString(error),
            s.path("executionTimeoutSeconds").asInt(3600),
            s.path("saveExecutionData").asText("all"),
            s.hasNonNull("concurrencyLimit") ? s.get("concurrencyLimit").asInt() : null);
    return new Graph(
        UUID.fromString(version.path("id").asText()),
        UUID.fromString(version.path("workflowId").asText()),
        version.path("name").asText(null),
        nodes,
        edges,
        settings,
        definition.path("nodes").toString().contains("$vars"));
  }

  private static String port(JsonNode port) {
    String p = port.asText("");
    return p.isBlank() ? "main" : p;
  }

  public UUID versionId() {
    return versionId;
  }

  public UUID workflowId() {
    return workflowId;
  }

  public String workflowName() {
    return workflowName;
  }

  public Settings settings() {
    return settings;
  }

  /** Whether any node's parameters mention {@code $vars}. */
  public boolean usesVariables() {
    return usesVariables;
  }

  public NodeDef node(String id) {
    NodeDef node = nodes.get(id);
    if (node == null) {
      throw new IllegalArgumentException("no node " + id + " in version " + versionId);
    }
    return node;
  }

  public Collection<NodeDef> nodes() {
    return nodes.values();
  }

  public List<Edge> outgoing(String nodeId) {
    return outgoing.getOrDefault(nodeId, List.of());
  }

  public List<Edge> incoming(String nodeId) {
    return incoming.getOrDefault(nodeId, List.of());
  }

  /** The input ports of a node that have at least one edge into them, in edge order. */
  public Set<String> connectedInputs(String nodeId) {
    Set<String> ports = new java.util.LinkedHashSet<>();
    for (Edge e : incoming(nodeId)) {
      ports.add(e.toPort());
    }
    return ports;
  }

  /** Every node reachable from {@code starts} along edges, the starts included. */
  public Set<String> reachableFrom(Collection<String> starts) {
    Set<String> seen = new HashSet<>(starts);
    Deque<String> todo = new ArrayDeque<>(starts);
    while (!todo.isEmpty()) {
      for (Edge e : outgoing(todo.pop())) {
        if (seen.add(e.toNode())) {
          todo.push(e.toNode());
        }
      }
    }
    return seen;
  }

  /**
   * The node an execution starts at: the one named, else the enabled trigger of the mode's type,
   * else the first enabled trigger, else empty.
   */
  public Optional<NodeDef> startNode(String mode, String triggerNodeId) {
    if (triggerNodeId != null && nodes.containsKey(triggerNodeId)) {
      return Optional.of(nodes.get(triggerNodeId));
    }
    String type = TRIGGER_OF_MODE.get(mode);
    Optional<NodeDef> byMode =
        nodes.values().stream().filter(n -> !n.disabled() && n.type().equals(type)).findFirst();
    if (byMode.isPresent()) {
      return byMode;
    }
    return nodes.values().stream().filter(n -> !n.disabled() && n.trigger()).findFirst();
  }
}
