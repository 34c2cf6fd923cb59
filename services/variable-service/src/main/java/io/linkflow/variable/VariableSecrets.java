package io.linkflow.variable;

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

/**
 * Secret values at rest: the {@link SecretCipher} of libs/security under this service's master keys
 * ({@code linkflow.variable.master-keys}, primary {@code linkflow.variable.master-key-primary}),
 * each ciphertext bound to its workspace and variable id; and master-key rotation without downtime,
 * values under a non-primary key being rewrapped in the background (10 s after start-up, then every
 * {@code linkflow.variable.rewrap-interval}).
 */
@ApplicationScoped
public class VariableSecrets {

  private final MasterKeyRewrapper rewrapper;

  public VariableSecrets(Pool pool, SecretCipher cipher) {
    this.rewrapper =
        new MasterKeyRewrapper(
            pool,
            cipher,
            SealedColumn.of("variable", "value_sealed", "master_key_id").where("secret"));
  }

  /** Created at start-up, so missing or malformed keys stop the service at once. */
  @Produces
  @Singleton
  @Startup
  static SecretCipher cipher() {
    return SecretCipher.fromConfig("variable");
  }

  @Scheduled(
      every = "${linkflow.variable.rewrap-interval:5m}",
      delayed = "10s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> rewrap() {
    return rewrapper.scheduledRun();
  }

  public MasterKeyRewrapper rewrapper() {
    return rewrapper;
  }
}
