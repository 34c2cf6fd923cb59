package io.linkflow.user.access;

import java.util.UUID;

/**
 * The authenticated person and the workspace their token is for ({@code sub} and {@code wid}),
 * captured once per request so that services never read them from a path or a body.
 */
public record Caller(UUID userId, UUID workspaceId) {}
