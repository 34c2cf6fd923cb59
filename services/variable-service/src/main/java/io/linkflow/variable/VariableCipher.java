package io.linkflow.variable;

import io.linkflow.security.crypto.EnvelopeCipher;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Encrypts secret values with the envelope cipher of libs/security under this service's master keys
 * ({@code linkflow.variable.master-keys}, primary {@code linkflow.variable.master-key-primary}).
 * Each ciphertext is bound to its workspace and variable id.
 */
@ApplicationScoped
public class VariableCipher {

  private final EnvelopeCipher cipher;

  public VariableCipher(
      @ConfigProperty(name = "linkflow.variable.master-keys") Optional<String> keys,
      @ConfigProperty(name = "linkflow.variable.master-key-primary", defaultValue = "1")
          int primary) {
    this.cipher =
        EnvelopeCipher.of(
            keys.filter(k -> !k.isBlank())
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "linkflow.variable.master-keys (LINKFLOW_VARIABLE_MASTER_KEYS) is not"
                                + " set: give variable-service <id>:<base64 32 bytes>")),
            primary);
  }

  /** Created at start-up, so missing or malformed keys stop the service at once. */
  void checkAtStartup(@Observes StartupEvent ignored) {}

  public byte[] seal(UUID workspaceId, UUID variableId, String value) {
    return cipher.encrypt(value.getBytes(StandardCharsets.UTF_8), boundTo(workspaceId, variableId));
  }

  public String open(UUID workspaceId, UUID variableId, byte[] sealed) {
    return new String(
        cipher.decrypt(sealed, boundTo(workspaceId, variableId)), StandardCharsets.UTF_8);
  }

  /** The same ciphertext with its data key wrapped by the primary master key. */
  public byte[] rewrap(byte[] sealed) {
    return cipher.rewrap(sealed);
  }

  public int primaryKeyId() {
    return cipher.primaryKeyId();
  }

  private static byte[] boundTo(UUID workspaceId, UUID variableId) {
    return ("variable/" + workspaceId + "/" + variableId).getBytes(StandardCharsets.UTF_8);
  }
}
