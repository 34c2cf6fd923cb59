package io.linkflow.security.crypto;

import io.linkflow.security.crypto.MasterKeyRewrapper.SealedColumn;
import java.util.List;

/**
 * Implemented by the one bean of a service that stores secrets at rest: which master keys it uses
 * ({@code linkflow.<domain>.master-keys}, {@code linkflow.<domain>.master-key-primary}) and where
 * its ciphertexts are. {@link MasterKeyRotation} then provides the service's {@link SecretCipher}
 * bean (checked at start-up) and rewraps those columns under the primary key in the background.
 *
 * <pre>{@code
 * @ApplicationScoped
 * public class VariableSecrets implements SealedSecrets {
 *   public String domain() { return "variable"; }
 *   public List<SealedColumn> sealedColumns() {
 *     return List.of(SealedColumn.of("variable", "value_sealed", "master_key_id").where("secret"));
 *   }
 * }
 * }</pre>
 */
public interface SealedSecrets {

  /** Names the configuration of the master keys and binds ciphertexts, e.g. {@code variable}. */
  String domain();

  /** Every column holding ciphertexts of {@link SecretCipher}s of this domain. */
  List<SealedColumn> sealedColumns();
}
