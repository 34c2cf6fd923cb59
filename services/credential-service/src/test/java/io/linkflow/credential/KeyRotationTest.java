package io.linkflow.credential;

import static io.linkflow.credential.Api.WAIT;
import static io.linkflow.credential.Api.decrypt;
import static io.linkflow.credential.Api.executor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.linkflow.security.crypto.EnvelopeCipher;
import io.linkflow.security.crypto.MasterKeyRewrapper;
import io.linkflow.security.crypto.SecretCipher;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Master-key rotation: two keys configured, the new one primary; credentials sealed under the old
 * key are rewrapped under the new one and still decrypt — with the new key alone.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_credential", redis = false)
@TestProfile(KeyRotationTest.NewPrimaryKey.class)
class KeyRotationTest {

  // fixed: the profile is loaded again by Quarkus' class loader, so random keys would differ
  static final String OLD_KEY = "1:b2xkLXRlc3Qtb25seS1jcmVkZW50aWFsLWtleS0zMmI=";
  static final String NEW_KEY = "2:bmV3LXRlc3Qtb25seS1jcmVkZW50aWFsLWtleS0zMmI=";

  /** Both keys configured, the new one primary: the state right after an operator rotates. */
  public static class NewPrimaryKey implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "linkflow.credential.master-keys",
          OLD_KEY + "," + NEW_KEY,
          "linkflow.credential.master-key-primary",
          "2");
    }
  }

  @Inject Pool pool;

  @Test
  void credentialsUnderTheOldKeyAreRewrappedAndStillDecrypt() {
    UUID workspace = UUID.randomUUID();
    SecretCipher before = SecretCipher.of("credential", OLD_KEY, 1);
    UUID[] ids = new UUID[MasterKeyRewrapper.BATCH + 5];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = UUID.randomUUID();
      byte[] sealed = before.sealText(workspace, ids[i], "{\"token\":\"old-" + i + "\"}");
      pool.preparedQuery(
              "INSERT INTO credential (id, workspace_id, name, type, status, public_data,"
                  + " secret_fields, data_sealed, master_key_id, created_by, updated_by)"
                  + " VALUES ($1, $2, $3, 'httpBearerToken', 'ready', '{}'::jsonb,"
                  + " ARRAY['token'], $4, 1, 'test', 'test')")
          .execute(Tuple.of(ids[i], workspace, "Token " + i, Buffer.buffer(sealed)))
          .await()
          .atMost(WAIT);
    }
    // before the rewrap, old ciphertexts still decrypt (the old key is configured)
    decrypt(executor(), ids[0].toString(), workspace)
        .then()
        .statusCode(200)
        .body("data.token", equalTo("old-0"));
    // new writes use the new primary key
    String owner = TestIssuer.get().token(UUID.randomUUID(), workspace, "owner");
    String fresh = Api.createdId(owner, "Fresh", "httpBearerToken", Map.of("token", "new"));

    // the operator's rotation command: a person's token, even an owner's, may not run it
    Api.as(owner).post("/internal/v1/secrets/rewrap").then().statusCode(403);
    String operator =
        TestIssuer.get()
            .builder()
            .subject("service:operator")
            .workspace(null)
            .scope("secrets:rewrap")
            .sign();
    var result =
        Api.as(operator)
            .post("/internal/v1/secrets/rewrap")
            .then()
            .statusCode(200)
            .body("primaryKeyId", equalTo(2))
            .body("remaining", equalTo(0))
            .extract();
    int rewrapped = result.path("rewrapped");

    assertThat(rewrapped).isGreaterThanOrEqualTo(ids.length);
    SecretCipher newKeyOnly = SecretCipher.of("credential", NEW_KEY, 2);
    for (int i = 0; i < ids.length; i++) {
      Row row = row(ids[i]);
      assertThat(row.getInteger("master_key_id")).isEqualTo(2);
      byte[] sealed = row.getBuffer("data_sealed").getBytes();
      assertThat(EnvelopeCipher.masterKeyId(sealed)).isEqualTo(2);
      assertThat(newKeyOnly.openText(workspace, ids[i], sealed))
          .isEqualTo("{\"token\":\"old-" + i + "\"}");
    }
    assertThat(row(UUID.fromString(fresh)).getInteger("master_key_id")).isEqualTo(2);
    decrypt(executor(), ids[ids.length - 1].toString(), workspace)
        .then()
        .statusCode(200)
        .body("data.token", equalTo("old-" + (ids.length - 1)));
    Api.as(operator)
        .post("/internal/v1/secrets/rewrap")
        .then()
        .statusCode(200)
        .body("rewrapped", equalTo(0))
        .body("remaining", equalTo(0));
    assertThat(
            new String(
                row(ids[0]).getBuffer("data_sealed").getBytes(), StandardCharsets.ISO_8859_1))
        .doesNotContain("old-0");
  }

  private Row row(UUID id) {
    return pool.preparedQuery("SELECT data_sealed, master_key_id FROM credential WHERE id = $1")
        .execute(Tuple.of(id))
        .await()
        .atMost(WAIT)
        .iterator()
        .next();
  }
}
