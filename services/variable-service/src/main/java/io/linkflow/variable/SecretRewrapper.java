package io.linkflow.variable;

import io.linkflow.security.crypto.EnvelopeCipher;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Master-key rotation without downtime: secret values whose data key is wrapped by another master
 * key than the primary one are rewrapped in the background, a batch at a time (rows locked with
 * SKIP LOCKED, so replicas share the work), shortly after start-up and then every {@code
 * linkflow.variable.rewrap-interval}. Only data keys are re-encrypted; values never leave the
 * cipher. Progress is logged; when nothing is left, the old key can be removed from configuration.
 */
@ApplicationScoped
public class SecretRewrapper {

  private static final Logger LOG = Logger.getLogger(SecretRewrapper.class);
  static final int BATCH = 100;

  private final Pool pool;
  private final VariableCipher cipher;

  public SecretRewrapper(Pool pool, VariableCipher cipher) {
    this.pool = pool;
    this.cipher = cipher;
  }

  @Scheduled(
      every = "${linkflow.variable.rewrap-interval:5m}",
      delayed = "10s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> scheduled() {
    return rewrapAll()
        .onFailure()
        .invoke(e -> LOG.warnf(e, "Rewrapping secret values failed; will retry"))
        .onFailure()
        .recoverWithItem(0)
        .replaceWithVoid();
  }

  /** Rewraps every value not under the primary key; answers how many were rewrapped. */
  public Uni<Integer> rewrapAll() {
    return batch()
        .flatMap(
            done ->
                done == 0
                    ? Uni.createFrom().item(0)
                    : rewrapAll()
                        .map(rest -> rest + done)
                        .invoke(
                            total ->
                                LOG.infof(
                                    "Rewrapped %d secret values under master key %d",
                                    done, cipher.primaryKeyId())));
  }

  private Uni<Integer> batch() {
    int primary = cipher.primaryKeyId();
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(
                    "SELECT id, value_sealed FROM variable WHERE secret AND master_key_id <> $1"
                        + " LIMIT $2 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(primary, BATCH))
                .flatMap(
                    rows -> {
                      Uni<Void> chain = Uni.createFrom().voidItem();
                      int count = 0;
                      for (Row row : rows) {
                        byte[] rewrapped = cipher.rewrap(row.getBuffer("value_sealed").getBytes());
                        chain =
                            chain.call(
                                () ->
                                    tx.preparedQuery(
                                            "UPDATE variable SET value_sealed = $2,"
                                                + " master_key_id = $3 WHERE id = $1")
                                        .execute(
                                            Tuple.of(
                                                row.getUUID("id"),
                                                Buffer.buffer(rewrapped),
                                                EnvelopeCipher.masterKeyId(rewrapped))));
                        count++;
                      }
                      int total = count;
                      return chain.replaceWith(total);
                    }));
  }
}
