package io.linkflow.workflow.model;

import java.util.List;

/** What a version freezes: the graph and the settings. Stored as JSON in each version. */
public record Definition(List<Node> nodes, List<Connection> connections, Settings settings) {

  public Definition {
    nodes = nodes == null ? List.of() : nodes;
    connections = connections == null ? List.of() : connections;
    settings = settings == null ? new Settings(null, null, null, null, null) : settings;
  }
}
