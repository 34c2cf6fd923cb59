package io.linkflow.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One version of a node type, as in its catalog file and as the API returns it.
 *
 * @param type the type's name, e.g. {@code linkflow.httpRequest}
 * @param version the definition's version (1, 2, …); a breaking change is a new version
 * @param displayName what the editor shows
 * @param category the palette group, e.g. {@code flow}
 * @param kind {@code trigger} (starts executions, no inputs) or {@code action}
 * @param description one sentence
 * @param inputs named input ports (none for triggers)
 * @param outputs named output ports
 * @param parameters a JSON Schema (draft 2020-12) object schema of the node's parameters
 * @param credentialTypes the credential types the node accepts
 * @param documentation markdown
 */
public record NodeType(
    String type,
    int version,
    String displayName,
    String category,
    String kind,
    String description,
    List<Port> inputs,
    List<Port> outputs,
    ObjectNode parameters,
    List<CredentialRequirement> credentialTypes,
    String documentation) {

  public static final String TRIGGER = "trigger";
  public static final String ACTION = "action";

  /** The list entry of this version. */
  public NodeTypeSummary summary() {
    return new NodeTypeSummary(type, version, displayName, category, kind, description);
  }
}
