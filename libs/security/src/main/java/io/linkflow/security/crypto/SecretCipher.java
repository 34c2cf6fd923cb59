package io.linkflow.security.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A service's secrets-at-rest cipher: the {@link EnvelopeCipher} under the master keys configured
 * for one domain ({@code linkflow.<domain>.master-keys}, primary {@code
 * linkflow.<domain>.master-key-primary}, default 1), whose ciphertexts are bound by associated data
 * to {@code <kind>/<workspace>/<record id>}: a ciphertext copied to another row, another workspace
 * or another kind of record is rejected like an altered one.
 *
 * <pre>{@code
 * SecretCipher cipher = SecretCipher.fromConfig("variable");
 * byte[] sealed = cipher.sealText(workspaceId, variableId, value);
 * String value = cipher.openText(workspaceId, variableId, sealed);
 * }</pre>
 */
public final class SecretCipher {

  private final EnvelopeCipher cipher;
  private final String kind;

  private SecretCipher(EnvelopeCipher cipher, String kind) {
    this.cipher = cipher;
    this.kind = kind;
  }

  /**
   * The cipher of {@code domain} from MicroProfile Config; fails with a message naming the setting
   * and its environment variable when the keys are missing or malformed, so a service stops at
   * start-up rather than at its first secret.
   */
  public static SecretCipher fromConfig(String domain) {
    Config config = ConfigProvider.getConfig();
    String property = "linkflow." + domain + ".master-keys";
    Optional<String> keys =
        config.getOptionalValue(property, String.class).filter(k -> !k.isBlank());
    int primary =
        config
            .getOptionalValue("linkflow." + domain + ".master-key-primary", Integer.class)
            .orElse(1);
    String variable = "LINKFLOW_" + domain.toUpperCase(Locale.ROOT) + "_MASTER_KEYS";
    if (keys.isEmpty()) {
      throw new IllegalStateException(
          property
              + " ("
              + variable
              + ") is not set: give the service <id>:<base64 of 32 bytes>[,…]");
    }
    try {
      return of(domain, keys.get(), primary);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(property + " (" + variable + "): " + e.getMessage(), e);
    }
  }

  /** A cipher binding to {@code kind} under explicit keys (tests, tools). */
  public static SecretCipher of(String kind, String masterKeys, int primaryKeyId) {
    return new SecretCipher(EnvelopeCipher.of(masterKeys, primaryKeyId), kind);
  }

  /**
   * The same master keys, binding ciphertexts to another kind of record (a service that stores
   * several kinds of secret keeps them apart).
   */
  public SecretCipher forKind(String otherKind) {
    return new SecretCipher(cipher, otherKind);
  }

  public byte[] seal(UUID workspaceId, Object recordId, byte[] plaintext) {
    return cipher.encrypt(plaintext, boundTo(workspaceId, recordId));
  }

  /** {@link CiphertextRejectedException} when altered, moved, or under an unknown master key. */
  public byte[] open(UUID workspaceId, Object recordId, byte[] sealed) {
    return cipher.decrypt(sealed, boundTo(workspaceId, recordId));
  }

  public byte[] sealText(UUID workspaceId, Object recordId, String plaintext) {
    return seal(workspaceId, recordId, plaintext.getBytes(StandardCharsets.UTF_8));
  }

  public String openText(UUID workspaceId, Object recordId, byte[] sealed) {
    return new String(open(workspaceId, recordId, sealed), StandardCharsets.UTF_8);
  }

  /** The same ciphertext with its data key wrapped by the primary master key. */
  public byte[] rewrap(byte[] sealed) {
    return cipher.rewrap(sealed);
  }

  public int primaryKeyId() {
    return cipher.primaryKeyId();
  }

  private byte[] boundTo(UUID workspaceId, Object recordId) {
    return (kind + "/" + workspaceId + "/" + recordId).getBytes(StandardCharsets.UTF_8);
  }
}
