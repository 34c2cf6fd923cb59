package io.linkflow.workflow.model;

import java.util.List;

/**
 * The body of create, replace and import, and the document export returns ({@code linkflowExport}
 * marks an export; it is ignored on input).
 *
 * @param name 1–200 characters
 * @param description up to 2000 characters
 * @param folderId a folder of the workspace, or none
 * @param tags up to 20 tags of 1–50 characters
 */
public record WorkflowInput(
    Integer linkflowExport,
    String name,
    String description,
    String folderId,
    List<String> tags,
    List<Node> nodes,
    List<Connection> connections,
    Settings settings) {

  public Definition definition() {
    return new Definition(nodes, connections, settings);
  }
}
