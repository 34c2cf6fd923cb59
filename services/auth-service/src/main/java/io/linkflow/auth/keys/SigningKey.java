package io.linkflow.auth.keys;

import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;

/**
 * An RS256 signing key pair. It signs from {@code activatesAt} until {@code retiredAt} (its
 * successor's activation; null while it has none), and is published in the JWKS from creation until
 * the tokens it signed have expired.
 */
public record SigningKey(
    String kid,
    RSAPublicKey publicKey,
    RSAPrivateKey privateKey,
    Instant createdAt,
    Instant activatesAt,
    Instant retiredAt) {

  /** Whether this key signs tokens at {@code now}. */
  public boolean signsAt(Instant now) {
    return !activatesAt.isAfter(now) && (retiredAt == null || retiredAt.isAfter(now));
  }
}
