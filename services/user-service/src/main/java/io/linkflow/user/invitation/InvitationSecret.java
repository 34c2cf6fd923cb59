package io.linkflow.user.invitation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The secret of an invitation: 256 random bits, base64url, shown once to the inviter (to pass on to
 * the invitee); only its SHA-256 is stored, so a database leak reveals no usable invitation.
 */
public final class InvitationSecret {

  private static final SecureRandom RANDOM = new SecureRandom();

  private InvitationSecret() {}

  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** What is stored and looked up: SHA-256 of the secret, hex. */
  public static String hash(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
