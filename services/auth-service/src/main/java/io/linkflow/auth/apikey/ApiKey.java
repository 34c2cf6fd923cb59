package io.linkflow.auth.apikey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An API key as stored (never the key itself).
 *
 * @param id its id
 * @param workspaceId the workspace it acts in
 * @param createdBy the account that created it; the key never has more rights than they do
 * @param name its label
 * @param prefix the first characters of the key, to recognise it in lists
 * @param role the role it acts with (admin, editor or viewer)
 * @param scopes what it may do ({@code <area>:read|write})
 * @param expiresAt when it stops working
 * @param createdAt when it was created
 * @param lastUsedAt when it was last exchanged for a token
 * @param revokedAt when it was revoked, if it was
 */
public record ApiKey(
    UUID id,
    UUID workspaceId,
    UUID createdBy,
    String name,
    String prefix,
    String role,
    List<String> scopes,
    Instant expiresAt,
    Instant createdAt,
    Instant lastUsedAt,
    Instant revokedAt) {}
