package io.linkflow.security.crypto;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.function.Supplier;

/**
 * Secrets at rest for a service that declares its {@link SealedSecrets}: the {@link SecretCipher}
 * bean under its master keys (created at start-up, so missing or malformed keys stop the service at
 * once) and master-key rotation without downtime — ciphertexts under a non-primary key are
 * rewrapped by {@link MasterKeyRewrapper} 10 s after start-up, then every {@code
 * linkflow.secrets.rewrap-interval} (default 5m; {@code off} disables). Services without secrets
 * declare nothing and this does nothing.
 */
@ApplicationScoped
public class MasterKeyRotation {

  private final Instance<SealedSecrets> declared;
  private final Supplier<SecretCipher> cipher;
  private final Supplier<MasterKeyRewrapper> rewrapper;

  public MasterKeyRotation(Instance<SealedSecrets> declared, Instance<Pool> pools) {
    this.declared = declared;
    this.cipher = memoize(() -> SecretCipher.fromConfig(secrets().domain()));
    this.rewrapper =
        memoize(
            () ->
                new MasterKeyRewrapper(
                    pools.get(),
                    cipher.get(),
                    secrets().sealedColumns().toArray(MasterKeyRewrapper.SealedColumn[]::new)));
  }

  void checkAtStartup(@Observes StartupEvent ignored) {
    if (declared.isResolvable()) {
      cipher.get();
    }
  }

  @Produces
  @Singleton
  SecretCipher cipher() {
    return cipher.get();
  }

  /** The rewrapper of the declared columns (operators' tools and tests drive it directly). */
  public MasterKeyRewrapper rewrapper() {
    return rewrapper.get();
  }

  @Scheduled(
      every = "${linkflow.secrets.rewrap-interval:5m}",
      delayed = "10s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> rewrap() {
    return declared.isResolvable() ? rewrapper().scheduledRun() : Uni.createFrom().voidItem();
  }

  private SealedSecrets secrets() {
    if (!declared.isResolvable()) {
      throw new IllegalStateException(
          "a SecretCipher needs exactly one SealedSecrets bean naming the service's domain");
    }
    return declared.get();
  }

  private static <T> Supplier<T> memoize(Supplier<T> supplier) {
    return new Supplier<>() {
      private volatile T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = supplier.get();
        }
        return value;
      }
    };
  }
}
