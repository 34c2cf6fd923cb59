package io.linkflow.credential;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.security.crypto.CiphertextRejectedException;
import io.linkflow.security.crypto.MasterKeyRewrapper.SealedColumn;
import io.linkflow.security.crypto.SealedSecrets;
import io.linkflow.security.crypto.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * Credential fields at rest: the whole field object is sealed with the {@link SecretCipher} of
 * libs/security under this service's master keys ({@code linkflow.credential.master-keys}, primary
 * {@code linkflow.credential.master-key-primary}), bound to its workspace and credential id; PKCE
 * verifiers of pending OAuth2 authorizations likewise, bound to their state. After a master-key
 * rotation, libs/security {@code MasterKeyRotation} rewraps both columns ({@link Declaration}).
 */
@ApplicationScoped
public class CredentialSecrets {

  /** This service's secrets at rest, for libs/security. */
  @ApplicationScoped
  public static class Declaration implements SealedSecrets {

    @Override
    public String domain() {
      return "credential";
    }

    @Override
    public List<SealedColumn> sealedColumns() {
      return List.of(
          SealedColumn.of("credential", "data_sealed", "master_key_id"),
          SealedColumn.of("oauth2_authorization", "verifier_sealed", "master_key_id")
              .idColumn("state_hash"));
    }
  }

  private final SecretCipher fields;
  private final SecretCipher verifiers;
  private final ObjectMapper json;

  public CredentialSecrets(SecretCipher cipher, ObjectMapper json) {
    this.fields = cipher;
    this.verifiers = cipher.forKind("oauth2-verifier");
    this.json = json;
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
