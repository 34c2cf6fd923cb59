package io.linkflow.auth.account;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * argon2id password hashes (password4j), in PHC string form so parameters travel with each hash.
 * Parameters follow OWASP's recommendation: 19 MiB memory, 2 iterations, parallelism 1, 16-byte
 * salt, 32-byte hash. Hashing is deliberately slow and takes 19 MiB each, so it runs on its own
 * bounded pool ({@code linkflow.auth.password-hashing-threads}, default: one per core): a burst of
 * log-ins queues instead of exhausting the heap or the shared worker pool.
 */
@ApplicationScoped
public class PasswordHasher {

  private final ExecutorService pool;

  public PasswordHasher(
      @ConfigProperty(name = "linkflow.auth.password-hashing-threads") Optional<Integer> threads) {
    int size = threads.orElse(Runtime.getRuntime().availableProcessors());
    AtomicInteger counter = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            size,
            r -> {
              Thread thread = new Thread(r, "password-hashing-" + counter.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  @PreDestroy
  void close() {
    pool.shutdownNow();
  }

  static final Argon2Function ARGON2ID = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);

  /** A hash to verify against when the account does not exist, so timing does not tell. */
  private final String decoy = hashNow("decoy-password-for-unknown-accounts");

  public Uni<String> hash(String password) {
    return Uni.createFrom().item(() -> hashNow(password)).runSubscriptionOn(pool);
  }

  /** Verifies {@code password} against {@code hash}, or against a decoy when hash is null. */
  public Uni<Boolean> verify(String password, String hash) {
    return Uni.createFrom()
        .item(
            () -> {
              boolean matches =
                  Password.check(password, hash == null ? decoy : hash).with(ARGON2ID);
              return matches && hash != null;
            })
        .runSubscriptionOn(pool);
  }

  private static String hashNow(String password) {
    return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
  }
}
