package io.linkflow.events.payload;

import java.util.UUID;

/**
 * user.events: a member joined a workspace (member_added), got another role (member_role_changed)
 * or left or was removed (member_removed). auth-service keeps its copy of memberships from these,
 * to put the right role into tokens and to end a removed member's sessions.
 *
 * @param workspaceId the workspace
 * @param userId the member's account id
 * @param role the role now held; for member_removed, the role held until then
 * @param reason why: {@code signup}, {@code workspace_created}, {@code invitation_accepted}, {@code
 *     role_changed}, {@code left}, {@code removed}
 */
public record MembershipChangedV1(UUID workspaceId, UUID userId, String role, String reason) {}
