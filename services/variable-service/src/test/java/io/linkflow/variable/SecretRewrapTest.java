package io.linkflow.variable;

import static org.assertj.core.api.Assertions.assertThat;

import io.linkflow.security.crypto.EnvelopeCipher;
import io.linkflow.security.crypto.MasterKeyRewrapper;
import io.linkflow.security.crypto.MasterKeyRotation;
import io.linkflow.security.crypto.SecretCipher;
import io.linkflow.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Master-key rotation: values under the old key are rewrapped under the new primary one. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_variable", redis = false)
@TestProfile(SecretRewrapTest.NewPrimaryKey.class)
class SecretRewrapTest {

  // fixed: the profile is loaded again by Quarkus' class loader, so random keys would differ
  static final String OLD_KEY = "1:b2xkLXRlc3Qtb25seS1tYXN0ZXIta2V5LTMyYnl0ZXM=";
  static final String NEW_KEY = "2:bmV3LXRlc3Qtb25seS1tYXN0ZXIta2V5LTMyYnl0ZXM=";

  /** Both keys configured, the new one primary: the state right after an operator rotates. */
  public static class NewPrimaryKey implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "linkflow.variable.master-keys", OLD_KEY + "," + NEW_KEY,
          "linkflow.variable.master-key-primary", "2",
          // the test drives the rewrap itself
          "linkflow.secrets.rewrap-interval", "off");
    }
  }

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject Pool pool;
  @Inject SecretCipher cipher;
  @Inject MasterKeyRotation rotation;

  @Test
  void valuesUnderTheOldKeyAreRewrappedAndStillOpen() {
    UUID workspace = UUID.randomUUID();
    EnvelopeCipher before = EnvelopeCipher.of(OLD_KEY, 1);
    UUID[] ids = new UUID[MasterKeyRewrapper.BATCH + 5];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = UUID.randomUUID();
      byte[] sealed =
          before.encrypt(
              ("secret-" + i).getBytes(StandardCharsets.UTF_8),
              ("variable/" + workspace + "/" + ids[i]).getBytes(StandardCharsets.UTF_8));
      pool.preparedQuery(
              "INSERT INTO variable (id, workspace_id, key, secret, value_sealed, master_key_id,"
                  + " created_by) VALUES ($1, $2, $3, true, $4, 1, 'test')")
          .execute(Tuple.of(ids[i], workspace, "K" + i, Buffer.buffer(sealed)))
          .await()
          .atMost(WAIT);
    }

    int rewrapped = rotation.rewrapper().rewrapAll().await().atMost(WAIT);

    assertThat(rewrapped).isGreaterThanOrEqualTo(ids.length);
    for (int i = 0; i < ids.length; i++) {
      Row row =
          pool.preparedQuery("SELECT value_sealed, master_key_id FROM variable WHERE id = $1")
              .execute(Tuple.of(ids[i]))
              .await()
              .atMost(WAIT)
              .iterator()
              .next();
      assertThat(row.getInteger("master_key_id")).isEqualTo(2);
      byte[] sealed = row.getBuffer("value_sealed").getBytes();
      assertThat(EnvelopeCipher.masterKeyId(sealed)).isEqualTo(2);
      assertThat(cipher.openText(workspace, ids[i], sealed)).isEqualTo("secret-" + i);
      // and the old key is no longer needed for it
      assertThat(
              EnvelopeCipher.of(NEW_KEY, 2)
                  .decrypt(
                      sealed,
                      ("variable/" + workspace + "/" + ids[i]).getBytes(StandardCharsets.UTF_8)))
          .isEqualTo(("secret-" + i).getBytes(StandardCharsets.UTF_8));
    }
    assertThat(rotation.rewrapper().rewrapAll().await().atMost(WAIT)).isZero();
  }
}
