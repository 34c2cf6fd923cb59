package io.linkflow.security.crypto;

/**
 * A ciphertext that does not decrypt: altered, bound to other associated data, or wrapped by a
 * master key that is not configured. Never carries key material or plaintext.
 */
public class CiphertextRejectedException extends RuntimeException {

  public CiphertextRejectedException(Throwable cause) {
    super(
        "the ciphertext was rejected: altered, moved, or its master key is not configured", cause);
  }
}
