package io.linkflow.workflow.model;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A workflow as the API returns it: its latest version's graph and settings, and where it stands.
 *
 * @param version the latest version's number; every save adds one
 * @param versionId the latest version's id
 * @param active whether its triggers fire
 * @param activeVersionId the version that runs while active
 */
public record Workflow(
    String id,
    String name,
    String description,
    String folderId,
    List<String> tags,
    boolean active,
    String activeVersionId,
    int version,
    String versionId,
    List<Node> nodes,
    List<Connection> connections,
    Settings settings,
    String createdBy,
    OffsetDateTime createdAt,
    String updatedBy,
    OffsetDateTime updatedAt) {}
