package io.linkflow.node.catalog;

import java.util.List;
import java.util.Optional;

/** The built-in node and credential types, loaded and validated by {@link CatalogLoader}. */
public record Catalog(List<NodeType> nodeTypes, List<CredentialType> credentialTypes) {

  public Catalog {
    nodeTypes = List.copyOf(nodeTypes);
    credentialTypes = List.copyOf(credentialTypes);
  }

  public Optional<CredentialType> credentialType(String name) {
    return credentialTypes.stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
