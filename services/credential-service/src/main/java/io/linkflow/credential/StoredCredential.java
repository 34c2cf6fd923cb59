package io.linkflow.credential;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A credential row: the public view plus what only this service sees (the sealed fields and their
 * master key, the OAuth2 token expiry, the optimistic version).
 */
public record StoredCredential(
    UUID id,
    UUID workspaceId,
    String name,
    String type,
    String status,
    String statusReason,
    ObjectNode publicData,
    List<String> secretFields,
    byte[] sealed,
    int masterKeyId,
    Instant tokenExpiresAt,
    long version,
    String createdBy,
    String updatedBy,
    Instant createdAt,
    Instant updatedAt) {

  public Credential view() {
    return new Credential(
        id,
        name,
        type,
        status,
        statusReason,
        publicData,
        secretFields,
        createdBy,
        updatedBy,
        createdAt,
        updatedAt);
  }
}
