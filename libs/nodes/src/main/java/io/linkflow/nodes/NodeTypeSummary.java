package io.linkflow.nodes;

/** A node type's latest version as listed: everything but ports, schema and documentation. */
public record NodeTypeSummary(
    String type,
    int version,
    String displayName,
    String category,
    String kind,
    String description) {}
