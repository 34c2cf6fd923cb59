package io.linkflow.workflow.model;

import java.time.OffsetDateTime;
import java.util.List;

/** A workflow in a list: no graph. */
public record WorkflowSummary(
    String id,
    String name,
    String description,
    String folderId,
    List<String> tags,
    boolean active,
    int version,
    OffsetDateTime updatedAt) {}
