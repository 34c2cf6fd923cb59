package io.linkflow.security.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Opaque bearer secrets (refresh tokens, API keys, invitation tokens): 256 random bits, base64url,
 * shown once; only their SHA-256 is stored and looked up, so a database leak reveals nothing
 * usable. (High-entropy secrets need no slow hash; passwords do, and use argon2id.)
 */
public final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** A new secret: 256 random bits, base64url without padding. */
  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** What is stored and looked up: the SHA-256 of {@code secret}, hex. */
  public static String sha256Hex(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compares two secrets in time independent of where they differ. */
  public static boolean constantTimeEquals(String expected, String actual) {
    return MessageDigest.isEqual(
        sha256Hex(expected).getBytes(StandardCharsets.US_ASCII),
        sha256Hex(actual).getBytes(StandardCharsets.US_ASCII));
  }
}
