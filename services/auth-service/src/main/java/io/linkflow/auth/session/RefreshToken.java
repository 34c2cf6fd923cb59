package io.linkflow.auth.session;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored refresh token (only its SHA-256 is kept; see libs/security {@code Secrets}).
 *
 * @param id the token row
 * @param familyId the session it belongs to
 * @param accountId whose
 * @param workspaceId for which workspace it issues access tokens
 * @param expiresAt when it stops working
 * @param usedAt when it was exchanged (a second exchange is reuse)
 * @param revokedAt when its session was revoked
 * @param startedAt when its session began
 * @param client where the session began
 */
public record RefreshToken(
    UUID id,
    UUID familyId,
    UUID accountId,
    UUID workspaceId,
    Instant expiresAt,
    Instant usedAt,
    Instant revokedAt,
    Instant startedAt,
    ClientInfo client) {}
