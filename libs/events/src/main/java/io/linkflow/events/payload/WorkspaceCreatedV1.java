package io.linkflow.events.payload;

import java.util.UUID;

/**
 * user.events: a workspace (tenant) was created, at sign-up (the personal one) or by a person.
 *
 * @param workspaceId the new workspace
 * @param name its display name
 * @param ownerId the account that owns it
 * @param personal whether it is its owner's personal workspace from sign-up
 */
public record WorkspaceCreatedV1(UUID workspaceId, String name, UUID ownerId, boolean personal) {}
