package io.linkflow.events.payload;

import java.util.UUID;

/** workflow.events: a workflow stopped being active; its triggers must stop firing. */
public record WorkflowDeactivatedV1(UUID workflowId, UUID versionId) {}
