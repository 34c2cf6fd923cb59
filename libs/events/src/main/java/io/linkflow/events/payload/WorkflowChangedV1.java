package io.linkflow.events.payload;

import java.util.UUID;

/**
 * workflow.events: a workflow was created, saved as a new version (also by a restore) or deleted.
 * Carries no definition: consumers that need it read the version from workflow-service.
 *
 * @param workflowId the workflow
 * @param workspaceId its workspace
 * @param versionId the version the change created (on delete: the last version)
 * @param version that version's number, 1, 2, …
 * @param name the workflow's name
 * @param actor who changed it (the token subject)
 */
public record WorkflowChangedV1(
    UUID workflowId, UUID workspaceId, UUID versionId, int version, String name, String actor) {}
