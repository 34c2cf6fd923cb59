package io.linkflow.webhook;

import io.linkflow.security.crypto.MasterKeyRewrapper.SealedColumn;
import io.linkflow.security.crypto.SealedSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Signing secrets at rest (libs/security {@code MasterKeyRotation}): sealed under this service's
 * master keys ({@code linkflow.webhook.master-keys}, primary {@code
 * linkflow.webhook.master-key-primary}), bound to the workspace and the secret's id, rewrapped in
 * the background after a rotation.
 */
@ApplicationScoped
public class WebhookSecrets implements SealedSecrets {

  @Override
  public String domain() {
    return "webhook";
  }

  @Override
  public List<SealedColumn> sealedColumns() {
    return List.of(SealedColumn.of("webhook_secret", "secret_sealed", "master_key_id"));
  }
}
