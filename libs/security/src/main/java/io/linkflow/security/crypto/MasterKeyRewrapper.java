package io.linkflow.security.crypto;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Master-key rotation without downtime: ciphertexts whose data key is wrapped by another master key
 * than the primary one are rewrapped, a batch per transaction, rows locked with {@code FOR UPDATE
 * SKIP LOCKED} so replicas share the work. Only data keys are re-encrypted; values never leave the
 * cipher. A service names its sealed columns and calls {@link #scheduledRun()} from its own
 * {@code @Scheduled} method (its interval is service configuration).
 *
 * <pre>{@code
 * new MasterKeyRewrapper(pool, cipher,
 *     SealedColumn.of("variable", "value_sealed", "master_key_id").where("secret"));
 * }</pre>
 */
public final class MasterKeyRewrapper {

  private static final Logger LOG = Logger.getLogger(MasterKeyRewrapper.class);
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

  /** Rows rewrapped per transaction. */
  public static final int BATCH = 100;

  /**
   * One column of ciphertexts and the column holding the id of the master key that wrapped each.
   *
   * @param table the table
   * @param idColumn its primary key (one column)
   * @param sealedColumn the ciphertext ({@code bytea})
   * @param keyIdColumn the master key id ({@code integer})
   * @param condition an extra SQL condition on the rows that have a ciphertext (a constant of the
   *     service, never input), e.g. {@code secret}; {@code true} for all
   */
  public record SealedColumn(
      String table, String idColumn, String sealedColumn, String keyIdColumn, String condition) {

    public SealedColumn {
      for (String identifier : List.of(table, idColumn, sealedColumn, keyIdColumn)) {
        if (!IDENTIFIER.matcher(identifier).matches()) {
          throw new IllegalArgumentException("not a plain SQL identifier: " + identifier);
        }
      }
    }

    /** {@code sealedColumn} of every row of {@code table}, whose primary key is {@code id}. */
    public static SealedColumn of(String table, String sealedColumn, String keyIdColumn) {
      return new SealedColumn(table, "id", sealedColumn, keyIdColumn, "true");
    }

    public SealedColumn idColumn(String column) {
      return new SealedColumn(table, column, sealedColumn, keyIdColumn, condition);
    }

    public SealedColumn where(String sqlCondition) {
      return new SealedColumn(table, idColumn, sealedColumn, keyIdColumn, sqlCondition);
    }

    String select() {
      return "SELECT "
          + idColumn
          + " AS id, "
          + sealedColumn
          + " AS sealed FROM "
          + table
          + " WHERE ("
          + condition
          + ") AND "
          + keyIdColumn
          + " <> $1 LIMIT $2 FOR UPDATE SKIP LOCKED";
    }

    String countOthers() {
      return "SELECT count(*) FROM "
          + table
          + " WHERE ("
          + condition
          + ") AND "
          + keyIdColumn
          + " <> $1";
    }

    String update() {
      return "UPDATE "
          + table
          + " SET "
          + sealedColumn
          + " = $2, "
          + keyIdColumn
          + " = $3 WHERE "
          + idColumn
          + " = $1";
    }
  }

  private final Pool pool;
  private final SecretCipher cipher;
  private final List<SealedColumn> columns;

  public MasterKeyRewrapper(Pool pool, SecretCipher cipher, SealedColumn... columns) {
    this.pool = pool;
    this.cipher = cipher;
    this.columns = List.of(columns);
  }

  /** For a service's {@code @Scheduled} method: rewraps what is left, logs, never fails. */
  public Uni<Void> scheduledRun() {
    return rewrapAll()
        .onFailure()
        .invoke(
            e -> LOG.warnf(e, "Rewrapping secrets under the primary master key failed; will retry"))
        .onFailure()
        .recoverWithItem(0)
        .replaceWithVoid();
  }

  /** Rewraps every ciphertext not under the primary key; answers how many were rewrapped. */
  public Uni<Integer> rewrapAll() {
    Uni<Integer> total = Uni.createFrom().item(0);
    for (SealedColumn column : columns) {
      total = total.flatMap(sum -> rewrapAll(column).map(done -> sum + done));
    }
    return total;
  }

  /** How many ciphertexts are still wrapped by another key than the primary one. */
  public Uni<Long> remaining() {
    int primary = cipher.primaryKeyId();
    Uni<Long> total = Uni.createFrom().item(0L);
    for (SealedColumn column : columns) {
      total =
          total.flatMap(
              sum ->
                  pool.preparedQuery(column.countOthers())
                      .execute(Tuple.of(primary))
                      .map(rows -> sum + rows.iterator().next().getLong(0)));
    }
    return total;
  }

  public int primaryKeyId() {
    return cipher.primaryKeyId();
  }

  private Uni<Integer> rewrapAll(SealedColumn column) {
    return batch(column)
        .flatMap(
            done -> {
              if (done == 0) {
                return Uni.createFrom().item(0);
              }
              LOG.infof(
                  "Rewrapped %d secrets of %s.%s under master key %d",
                  done, column.table(), column.sealedColumn(), cipher.primaryKeyId());
              return rewrapAll(column).map(rest -> rest + done);
            });
  }

  private Uni<Integer> batch(SealedColumn column) {
    int primary = cipher.primaryKeyId();
    return pool.withTransaction(
        tx ->
            tx.preparedQuery(column.select())
                .execute(Tuple.of(primary, BATCH))
                .flatMap(
                    rows -> {
                      Uni<Void> chain = Uni.createFrom().voidItem();
                      for (Row row : rows) {
                        byte[] rewrapped = cipher.rewrap(row.getBuffer("sealed").getBytes());
                        Object id = row.getValue("id");
                        chain =
                            chain.call(
                                () ->
                                    tx.preparedQuery(column.update())
                                        .execute(
                                            Tuple.of(
                                                id,
                                                Buffer.buffer(rewrapped),
                                                EnvelopeCipher.masterKeyId(rewrapped))));
                      }
                      return chain.replaceWith(rows.size());
                    }));
  }
}
