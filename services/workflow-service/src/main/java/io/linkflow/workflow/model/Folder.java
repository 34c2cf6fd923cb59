package io.linkflow.workflow.model;

import java.time.OffsetDateTime;

/** A folder of workflows. */
public record Folder(String id, String name, String createdBy, OffsetDateTime createdAt) {}
