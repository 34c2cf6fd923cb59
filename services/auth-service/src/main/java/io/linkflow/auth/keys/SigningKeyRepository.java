package io.linkflow.auth.keys;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Signing keys in PostgreSQL, private halves encrypted by {@link KeyEncryption}. */
@ApplicationScoped
public class SigningKeyRepository {

  private final Pool pool;
  private final KeyEncryption encryption;

  public SigningKeyRepository(Pool pool, KeyEncryption encryption) {
    this.pool = pool;
    this.encryption = encryption;
  }

  /** The active and pending keys and every key retired after {@code retiredSince}, newest first. */
  public Uni<List<SigningKey>> publishable(Instant retiredSince) {
    return pool.preparedQuery(
            "SELECT kid, public_key, private_key, created_at, activates_at, retired_at FROM"
                + " signing_key"
                + " WHERE retired_at IS NULL OR retired_at > $1 ORDER BY created_at DESC")
        .execute(Tuple.of(retiredSince.atOffset(ZoneOffset.UTC)))
        .map(
            rows -> {
              List<SigningKey> keys = new ArrayList<>();
              rows.forEach(row -> keys.add(toKey(row)));
              return keys;
            });
  }

  /**
   * Inserts {@code key}, signing from {@code key.activatesAt()}; the keys signing until then retire
   * at that moment. With {@code onlyIfNone}, does nothing when any key exists (the first key, which
   * several replicas may try to create at once). Rotations serialise on an advisory lock.
   */
  public Uni<Boolean> rotateTo(SqlClient tx, SigningKey key, boolean onlyIfNone) {
    byte[] privateKey = encryption.encrypt(key.kid(), key.privateKey().getEncoded());
    OffsetDateTime activates = key.activatesAt().atOffset(ZoneOffset.UTC);
    return tx.query("SELECT pg_advisory_xact_lock(hashtext('linkflow.signing_key'))")
        .execute()
        .flatMap(ignored -> tx.query("SELECT count(*) FROM signing_key").execute())
        .flatMap(
            counted -> {
              if (onlyIfNone && counted.iterator().next().getLong(0) > 0) {
                return Uni.createFrom().item(false);
              }
              return tx.preparedQuery(
                      "UPDATE signing_key SET retired_at = $1 WHERE retired_at IS NULL")
                  .execute(Tuple.of(activates))
                  .flatMap(
                      updated ->
                          tx.preparedQuery(
                                  "INSERT INTO signing_key (kid, public_key, private_key,"
                                      + " activates_at) VALUES ($1, $2, $3, $4)")
                              .execute(
                                  Tuple.of(
                                      key.kid(),
                                      Base64.getEncoder()
                                          .encodeToString(key.publicKey().getEncoded()),
                                      io.vertx.core.buffer.Buffer.buffer(privateKey),
                                      activates)))
                  .replaceWith(true);
            });
  }

  private SigningKey toKey(Row row) {
    String kid = row.getString("kid");
    try {
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      RSAPublicKey publicKey =
          (RSAPublicKey)
              rsa.generatePublic(
                  new X509EncodedKeySpec(Base64.getDecoder().decode(row.getString("public_key"))));
      byte[] pkcs8 = encryption.decrypt(kid, row.getBuffer("private_key").getBytes());
      RSAPrivateKey privateKey =
          (RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      OffsetDateTime retired = row.getOffsetDateTime("retired_at");
      return new SigningKey(
          kid,
          publicKey,
          privateKey,
          row.getOffsetDateTime("created_at").toInstant(),
          row.getOffsetDateTime("activates_at").toInstant(),
          retired == null ? null : retired.toInstant());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing key " + kid + " is unreadable", e);
    }
  }
}
