package io.linkflow.auth.keys;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Encrypts signing keys at rest with AES-256-GCM under the key-encryption key of {@code
 * linkflow.auth.key-encryption-key} (base64, 32 bytes; env {@code
 * LINKFLOW_AUTH_KEY_ENCRYPTION_KEY}). The key id is bound as associated data, so a ciphertext
 * cannot be moved to another key's row.
 */
@ApplicationScoped
public class KeyEncryption {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKey kek;
  private final SecureRandom random = new SecureRandom();

  public KeyEncryption(
      @ConfigProperty(name = "linkflow.auth.key-encryption-key") Optional<String> encoded) {
    String value =
        encoded
            .filter(s -> !s.isBlank())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "linkflow.auth.key-encryption-key (LINKFLOW_AUTH_KEY_ENCRYPTION_KEY) is not"
                            + " set: give auth-service a base64-encoded 32-byte key"));
    byte[] bytes = Base64.getDecoder().decode(value.trim());
    if (bytes.length != 32) {
      throw new IllegalStateException(
          "linkflow.auth.key-encryption-key must be 32 bytes (base64), not " + bytes.length);
    }
    this.kek = new SecretKeySpec(bytes, "AES");
  }

  /** Created at start-up, so a missing or malformed key stops the service at once. */
  void checkAtStartup(@Observes StartupEvent ignored) {}

  public byte[] encrypt(String kid, byte[] plaintext) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt signing key " + kid, e);
    }
  }

  /** Decrypts; a tampered ciphertext or a wrong key-encryption key fails. */
  public byte[] decrypt(String kid, byte[] ciphertext) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, ciphertext, 0, NONCE_BYTES));
      cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(ciphertext, NONCE_BYTES, ciphertext.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "signing key " + kid + " cannot be decrypted: tampered, or another key-encryption key",
          e);
    }
  }
}
