package io.linkflow.auth.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A stored refresh token (only its hash is kept).
 *
 * @param id the token row
 * @param familyId the session it belongs to
 * @param accountId whose
 * @param workspaceId for which workspace it issues access tokens
 * @param expiresAt when it stops working
 * @param usedAt when it was exchanged (a second exchange is reuse)
 * @param revokedAt when its session was revoked
 * @param startedAt when its session began
 * @param client where the session began
 */
public record RefreshToken(
    UUID id,
    UUID familyId,
    UUID accountId,
    UUID workspaceId,
    Instant expiresAt,
    Instant usedAt,
    Instant revokedAt,
    Instant startedAt,
    ClientInfo client) {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new opaque secret: 256 random bits, base64url. */
  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** What is stored and looked up: SHA-256 of the secret, hex. */
  public static String hash(String secret) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
