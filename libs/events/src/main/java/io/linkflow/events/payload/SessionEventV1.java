package io.linkflow.events.payload;

import java.util.UUID;

/**
 * auth.events: a session began (logged_in), ended (logged_out) or was revoked (token_revoked).
 *
 * @param accountId whose session
 * @param sessionId the session (refresh-token family)
 * @param workspaceId the workspace the session's tokens are for
 * @param reason why it ended, for logged_out and token_revoked (e.g. {@code logout}, {@code
 *     refresh_token_reuse})
 */
public record SessionEventV1(UUID accountId, UUID sessionId, UUID workspaceId, String reason) {}
