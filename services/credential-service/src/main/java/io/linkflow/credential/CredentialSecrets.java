package io.linkflow.credential;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.security.crypto.CiphertextRejectedException;
import io.linkflow.security.crypto.MasterKeyRewrapper;
import io.linkflow.security.crypto.MasterKeyRewrapper.SealedColumn;
import io.linkflow.security.crypto.SecretCipher;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.UUID;

/**
 * Credential fields at rest: the whole field object is sealed with the {@link SecretCipher} of
 * libs/security under this service's master keys ({@code linkflow.credential.master-keys}, primary
 * {@code linkflow.credential.master-key-primary}), bound to its workspace and credential id; PKCE
 * verifiers of pending OAuth2 authorizations likewise, bound to their state. Master-key rotation:
 * both are rewrapped under the primary key in the background (10 s after start-up, then every
 * {@code linkflow.credential.rewrap-interval}).
 */
@ApplicationScoped
public class CredentialSecrets {

  private final SecretCipher fields;
  private final SecretCipher verifiers;
  private final ObjectMapper json;
  private final MasterKeyRewrapper rewrapper;

  public CredentialSecrets(Pool pool, SecretCipher cipher, ObjectMapper json) {
    this.fields = cipher;
    this.verifiers = cipher.forKind("oauth2-verifier");
    this.json = json;
    this.rewrapper =
        new MasterKeyRewrapper(
            pool,
            cipher,
            SealedColumn.of("credential", "data_sealed", "master_key_id"),
            SealedColumn.of("oauth2_authorization", "verifier_sealed", "master_key_id")
                .idColumn("state_hash"));
  }

  /** Created at start-up, so missing or malformed keys stop the service at once. */
  @Produces
  @Singleton
  @Startup
  static SecretCipher cipher() {
    return SecretCipher.fromConfig("credential");
  }

  @Scheduled(
      every = "${linkflow.credential.rewrap-interval:5m}",
      delayed = "10s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> rewrap() {
    return rewrapper.scheduledRun();
  }

  public MasterKeyRewrapper rewrapper() {
    return rewrapper;
  }

  public byte[] seal(UUID workspaceId, UUID credentialId, ObjectNode data) {
    try {
      return fields.seal(workspaceId, credentialId, json.writeValueAsBytes(data));
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise credential fields", e);
    }
  }

  /** The fields; {@link CiphertextRejectedException} when the ciphertext was altered or moved. */
  public ObjectNode open(UUID workspaceId, UUID credentialId, byte[] sealed) {
    byte[] plaintext = fields.open(workspaceId, credentialId, sealed);
    try {
      return (ObjectNode) json.readTree(plaintext);
    } catch (IOException | ClassCastException e) {
      // never chain the parser's error: it may quote the plaintext
      throw new CiphertextRejectedException(null);
    }
  }

  public byte[] sealVerifier(UUID workspaceId, String stateHash, String verifier) {
    return verifiers.sealText(workspaceId, stateHash, verifier);
  }

  public String openVerifier(UUID workspaceId, String stateHash, byte[] sealed) {
    return verifiers.openText(workspaceId, stateHash, sealed);
  }
}
