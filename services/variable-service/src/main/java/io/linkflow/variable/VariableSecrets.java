package io.linkflow.variable;

import io.linkflow.security.crypto.MasterKeyRewrapper.SealedColumn;
import io.linkflow.security.crypto.SealedSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Secret values at rest (libs/security {@code MasterKeyRotation}): sealed under this service's
 * master keys ({@code linkflow.variable.master-keys}, primary {@code
 * linkflow.variable.master-key-primary}), each bound to its workspace and variable id, and
 * rewrapped in the background after a rotation.
 */
@ApplicationScoped
public class VariableSecrets implements SealedSecrets {

  @Override
  public String domain() {
    return "variable";
  }

  @Override
  public List<SealedColumn> sealedColumns() {
    return List.of(SealedColumn.of("variable", "value_sealed", "master_key_id").where("secret"));
  }
}
