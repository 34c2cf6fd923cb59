package io.linkflow.nodes;

import java.util.List;
import java.util.Optional;

/** The built-in node and credential types, loaded and validated by {@link CatalogLoader}. */
public record Catalog(List<NodeType> nodeTypes, List<CredentialType> credentialTypes) {

  public Catalog {
    nodeTypes = List.copyOf(nodeTypes);
    credentialTypes = List.copyOf(credentialTypes);
  }

  /** The catalog on the classpath, loaded and validated once. */
  public static Catalog builtIn() {
    return BuiltIn.CATALOG;
  }

  public Optional<CredentialType> credentialType(String name) {
    return credentialTypes.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** One version of a node type. */
  public Optional<NodeType> nodeType(String type, int version) {
    return nodeTypes.stream()
        .filter(n -> n.type().equals(type) && n.version() == version)
        .findFirst();
  }

  /** The versions the catalog has of a node type, ascending; empty for an unknown type. */
  public List<Integer> versions(String type) {
    return nodeTypes.stream()
        .filter(n -> n.type().equals(type))
        .map(NodeType::version)
        .sorted()
        .toList();
  }

  private static final class BuiltIn {
    static final Catalog CATALOG = CatalogLoader.load();
  }
}
