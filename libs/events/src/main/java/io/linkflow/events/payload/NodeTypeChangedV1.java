package io.linkflow.events.payload;

/**
 * node.events: a node type version was added to the registry or its definition changed (a catalog
 * shipped with a new node-service release). Consumers that cache node definitions refetch {@code
 * GET /api/v1/nodes/{type}?version={version}}.
 *
 * @param type the node type, e.g. {@code linkflow.httpRequest}
 * @param version the version of the type that was added or changed
 * @param change {@code added} or {@code changed}
 * @param displayName the type's display name
 * @param category the type's category
 * @param kind {@code trigger} or {@code action}
 */
public record NodeTypeChangedV1(
    String type, int version, String change, String displayName, String category, String kind) {}
