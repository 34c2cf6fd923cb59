package io.linkflow.nodes;

/**
 * A named input or output of a node type, where connections attach.
 *
 * @param name the port's name, unique among the type's inputs (or outputs), e.g. {@code main},
 *     {@code true}, {@code 0}
 * @param displayName how the editor labels it
 */
public record Port(String name, String displayName) {}
