package io.linkflow.execution.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.wire.Wire;
import io.linkflow.nodes.Catalog;
import java.util.UUID;

/** A workflow version built in a test: nodes, edges, settings, as workflow-service serves it. */
public final class TestWorkflow {
  static final ObjectMapper JSON = Wire.mapper();

  public final ObjectNode version = JSON.createObjectNode();
  public final ArrayNode nodes;
  public final ArrayNode connections;
  public final ObjectNode settings;

  public TestWorkflow() {
    version.put("id", UUID.randomUUID().toString());
    version.put("workflowId", UUID.randomUUID().toString());
    version.put("name", "Test");
    nodes = version.putArray("nodes");
    connections = version.putArray("connections");
    settings = version.putObject("settings");
  }

  public ObjectNode node(String id, String type, String params) {
    ObjectNode n = nodes.addObject();
    n.put("id", id);
    n.put("name", id.toUpperCase());
    n.put("type", "linkflow." + type);
    n.put("typeVersion", 1);
    try {
      n.set("parameters", JSON.readTree(params));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
    return n;
  }

  public TestWorkflow edge(String from, String fromPort, String to, String toPort) {
    ObjectNode c = connections.addObject();
    c.putObject("from").put("node", from).put("port", fromPort);
    c.putObject("to").put("node", to).put("port", toPort);
    return this;
  }

  public TestWorkflow edge(String from, String to) {
    return edge(from, "main", to, "main");
  }

  public Graph graph() {
    return Graph.of(version, Catalog.builtIn());
  }

  /** The i-th node added, to change it. */
  public ObjectNode nodeAt(int i) {
    return (ObjectNode) nodes.get(i);
  }

  public UUID versionId() {
    return UUID.fromString(version.get("id").asText());
  }

  public UUID workflowId() {
    return UUID.fromString(version.get("workflowId").asText());
  }

  public String json() {
    return version.toString();
  }
}
