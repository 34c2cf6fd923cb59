package io.linkflow.auth.session;

import java.util.UUID;

/**
 * What sign-up, log-in and refresh answer.
 *
 * @param accessToken the RS256 JWT to send as {@code Authorization: Bearer …}
 * @param tokenType always {@code Bearer}
 * @param expiresIn seconds until the access token expires
 * @param refreshToken single-use; exchange it at {@code /api/v1/auth/refresh} for a new pair
 * @param accountId the account (user id)
 * @param workspaceId the workspace the access token is for
 */
public record TokenResponse(
    String accessToken,
    String tokenType,
    long expiresIn,
    String refreshToken,
    UUID accountId,
    UUID workspaceId) {}
