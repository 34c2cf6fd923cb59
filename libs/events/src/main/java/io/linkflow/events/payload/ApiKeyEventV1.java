package io.linkflow.events.payload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * auth.events: an API key was created (api_key_created) or revoked (api_key_revoked). Never carries
 * the key itself.
 *
 * @param keyId the key's id
 * @param workspaceId the workspace it acts in
 * @param createdBy the account that created it
 * @param name its label
 * @param role the role it acts with
 * @param scopes what it may do
 * @param expiresAt when it stops working
 * @param reason for api_key_revoked: {@code revoked} or {@code member_removed}; {@code created}
 *     otherwise
 */
public record ApiKeyEventV1(
    UUID keyId,
    UUID workspaceId,
    UUID createdBy,
    String name,
    String role,
    List<String> scopes,
    Instant expiresAt,
    String reason) {}
