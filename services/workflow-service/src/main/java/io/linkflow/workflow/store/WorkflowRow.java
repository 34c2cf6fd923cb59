package io.linkflow.workflow.store;

import io.linkflow.workflow.model.Definition;
import io.linkflow.workflow.model.Workflow;
import io.linkflow.workflow.model.WorkflowSummary;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A workflow head with its latest version's definition. */
public record WorkflowRow(
    UUID id,
    UUID workspaceId,
    String name,
    String description,
    UUID folderId,
    List<String> tags,
    int version,
    UUID versionId,
    int revision,
    UUID activeVersionId,
    Definition definition,
    String createdBy,
    OffsetDateTime createdAt,
    String updatedBy,
    OffsetDateTime updatedAt) {

  public boolean active() {
    return activeVersionId != null;
  }

  /** The strong ETag of the current state. */
  public String etag() {
    return "\"r" + revision + "\"";
  }

  public Workflow toWorkflow() {
    return new Workflow(
        id.toString(),
        name,
        description,
        folderId == null ? null : folderId.toString(),
        tags,
        active(),
        activeVersionId == null ? null : activeVersionId.toString(),
        version,
        versionId.toString(),
        definition.nodes(),
        definition.connections(),
        definition.settings(),
        createdBy,
        createdAt,
        updatedBy,
        updatedAt);
  }

  public WorkflowSummary toSummary() {
    return new WorkflowSummary(
        id.toString(),
        name,
        description,
        folderId == null ? null : folderId.toString(),
        tags,
        active(),
        version,
        updatedAt);
  }
}
