package io.linkflow.credential;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A credential as the public API shows it: never a secret field's value. {@code data} holds the
 * non-secret fields; secret fields are omitted from it and {@code secretFields} names those that
 * have a stored value (so a form can show "set" without ever receiving the value, and a client that
 * sends {@code data} back unchanged keeps them).
 *
 * @param id its id
 * @param name its name, unique in the workspace (case-insensitively)
 * @param type its credential type, e.g. {@code smtp}
 * @param status {@code ready}, {@code pending_authorization} (OAuth2 not connected yet) or {@code
 *     needs_reconnect} (the provider refused a refresh)
 * @param statusReason why it is not ready, for a person; null when ready
 * @param data the non-secret fields
 * @param secretFields the secret fields that have a value
 * @param createdBy who created it (token subject)
 * @param updatedBy who changed it last
 * @param createdAt when
 * @param updatedAt when last changed
 */
public record Credential(
    UUID id,
    String name,
    String type,
    String status,
    String statusReason,
    ObjectNode data,
    List<String> secretFields,
    String createdBy,
    String updatedBy,
    Instant createdAt,
    Instant updatedAt) {

  public static final String READY = "ready";
  public static final String PENDING_AUTHORIZATION = "pending_authorization";
  public static final String NEEDS_RECONNECT = "needs_reconnect";
}
