package io.linkflow.clients;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A credential's plaintext, as credential-service's internal decrypt answers it. {@link
 * #toString()} leaves the fields out, so logging one by mistake leaks nothing.
 *
 * @param id the credential
 * @param type its credential type, e.g. {@code httpBasicAuth}
 * @param name its name
 * @param data every field in plaintext, secret ones included
 * @param accessToken for {@code oauth2AuthorizationCode}: the current access token; else null
 * @param expiresAt when that token expires, or null
 */
public record DecryptedCredential(
    String id, String type, String name, ObjectNode data, String accessToken, Instant expiresAt) {

  /** A text field of {@link #data()}, or null. */
  public String field(String name) {
    return data == null || !data.hasNonNull(name) ? null : data.get(name).asText();
  }

  @Override
  public String toString() {
    return "DecryptedCredential[id=" + id + ", type=" + type + ", fields hidden]";
  }
}
