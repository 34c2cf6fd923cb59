package io.linkflow.events.payload;

import java.util.UUID;

/**
 * variable.events: a workspace variable was created, updated or deleted. Never carries the value.
 *
 * @param variableId the variable
 * @param workspaceId its workspace
 * @param key its key (e.g. {@code API_BASE_URL})
 * @param secret whether its value is secret
 * @param actor who changed it (the token subject)
 */
public record VariableChangedV1(
    UUID variableId, UUID workspaceId, String key, boolean secret, String actor) {}
