package io.linkflow.auth.account;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * argon2id password hashes (password4j), in PHC string form so parameters travel with each hash.
 * Parameters follow OWASP's recommendation: 19 MiB memory, 2 iterations, parallelism 1, 16-byte
 * salt, 32-byte hash. Hashing is deliberately slow, so it runs on a worker thread.
 */
@ApplicationScoped
public class PasswordHasher {

  static final Argon2Function ARGON2ID = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);

  /** A hash to verify against when the account does not exist, so timing does not tell. */
  private final String decoy = hashNow("decoy-password-for-unknown-accounts");

  public Uni<String> hash(String password) {
    return Uni.createFrom()
        .item(() -> hashNow(password))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
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
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  private static String hashNow(String password) {
    return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
  }
}
