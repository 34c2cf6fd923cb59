package io.linkflow.auth.keys;

import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;

/** An RS256 signing key pair; {@code retiredAt} is null for the active key. */
public record SigningKey(
    String kid,
    RSAPublicKey publicKey,
    RSAPrivateKey privateKey,
    Instant createdAt,
    Instant retiredAt) {

  public boolean active() {
    return retiredAt == null;
  }
}
