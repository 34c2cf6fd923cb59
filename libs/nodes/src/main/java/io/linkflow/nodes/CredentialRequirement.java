package io.linkflow.nodes;

/**
 * A credential type a node type accepts.
 *
 * @param name the credential type's name (see {@link CredentialType})
 * @param required whether the node cannot run without a credential of this type
 */
public record CredentialRequirement(String name, boolean required) {}
