package io.linkflow.events.payload;

import java.util.UUID;

/**
 * credential.events: a credential was created, changed, deleted, connected (OAuth2 authorization
 * completed) or could not be refreshed. Never carries a field value.
 *
 * @param credentialId the credential
 * @param workspaceId its workspace
 * @param name its name
 * @param type its credential type, e.g. {@code httpBasicAuth}
 * @param status {@code ready}, {@code pending_authorization} (OAuth2 not connected yet) or {@code
 *     needs_reconnect} (refresh failed)
 * @param actor who changed it (the token subject), or {@code credential-service} for the refresher
 */
public record CredentialChangedV1(
    UUID credentialId, UUID workspaceId, String name, String type, String status, String actor) {}
