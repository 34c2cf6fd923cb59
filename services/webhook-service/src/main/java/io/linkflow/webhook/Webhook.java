package io.linkflow.webhook;

import java.time.Instant;
import java.util.UUID;

/**
 * A registered webhook: {@code method} {@code /webhook/{workspaceId}/{path}} starts {@code nodeId}
 * of the active version of a workflow.
 *
 * @param responseMode {@code immediately} or {@code responseNode}
 * @param responseCode the status of an immediate answer (2xx)
 * @param auth how callers authenticate: {@code none}, {@code basic} or {@code header}
 * @param signature {@code none} or {@code hmac-sha256}
 * @param rateLimitPerMinute calls allowed a minute, or null for no limit
 * @param credentialId the credential callers are checked against ({@code auth} basic: an
 *     httpBasicAuth credential, header: an httpHeaderAuth one); null with {@code auth: none}
 */
public record Webhook(
    UUID workspaceId,
    String method,
    String path,
    UUID workflowId,
    UUID versionId,
    String nodeId,
    String responseMode,
    int responseCode,
    String auth,
    String signature,
    Integer rateLimitPerMinute,
    UUID credentialId,
    Instant registeredAt) {}
