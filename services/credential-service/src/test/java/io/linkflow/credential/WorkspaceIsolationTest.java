package io.linkflow.credential;

import static io.linkflow.credential.Api.WAIT;
import static io.linkflow.credential.Api.as;
import static io.linkflow.credential.Api.createdId;
import static io.linkflow.credential.Api.executor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two workspaces, A and B: whatever B's owner (or a service naming workspace B) sends with the id
 * of A's credential, it is 404 — like an id that does not exist — and nothing of A changes. Every
 * endpoint of {@link Endpoints} is exercised.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_credential", redis = false)
class WorkspaceIsolationTest {

  @Inject Pool pool;

  @Test
  void workspaceBCanNeitherReadNorChangeNorDecryptACredentialOfWorkspaceA() {
    UUID a = UUID.randomUUID();
    String ownerA = TestIssuer.get().token(UUID.randomUUID(), a, "owner");
    String secretName = "Alpha-" + UUID.randomUUID();
    UUID credentialA =
        UUID.fromString(
            createdId(
                ownerA,
                secretName,
                "oauth2AuthorizationCode",
                Map.of(
                    "authorizationUrl", "https://provider.example/authorize",
                    "tokenUrl", "https://provider.example/token",
                    "clientId", "alpha-client",
                    "clientSecret", "alpha-secret",
                    "accessToken", "alpha-access")));
    String before = snapshot(credentialA);

    UUID b = UUID.randomUUID();
    String ownerB = TestIssuer.get().token(UUID.randomUUID(), b, "owner");
    for (Endpoints.Endpoint endpoint : Endpoints.ALL) {
      if (endpoint.permission() == null || !endpoint.template().contains("{id}")) {
        continue;
      }
      String token = endpoint.internal() ? executor() : ownerB;
      Response response = endpoint.call(token, credentialA, b);
      assertThat(response.statusCode()).as(endpoint.toString()).isEqualTo(404);
      assertThat(response.asString())
          .as(endpoint.toString())
          .doesNotContain(secretName)
          .doesNotContain("alpha");
    }
    as(ownerB).get("/api/v1/credentials").then().body("items", hasSize(0));
    as(ownerB).get("/api/v1/credentials?search=Alpha").then().body("items", hasSize(0));

    assertThat(snapshot(credentialA)).isEqualTo(before);
    as(ownerA)
        .get("/api/v1/credentials/" + credentialA)
        .then()
        .statusCode(200)
        .body("name", equalTo(secretName));
    Api.decrypt(executor(), credentialA.toString(), a).then().statusCode(200);
    assertThat(
            pool.preparedQuery(
                    "SELECT count(*) AS n FROM oauth2_authorization WHERE credential_id = $1")
                .execute(Tuple.of(credentialA))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getLong("n"))
        .isZero();
  }

  private String snapshot(UUID id) {
    return pool.preparedQuery(
            "SELECT name, status, public_data::text AS data, encode(data_sealed, 'hex') AS sealed,"
                + " version FROM credential WHERE id = $1")
        .execute(Tuple.of(id))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .toJson()
        .encode();
  }
}
