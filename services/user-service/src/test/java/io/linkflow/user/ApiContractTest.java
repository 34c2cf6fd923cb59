package io.linkflow.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.linkflow.testing.OpenApiContract;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What holds for every endpoint of {@link Endpoints}: a credential is required (401), the token's
 * scopes are enforced (403), every endpoint is documented in OpenAPI and listed in {@link
 * Endpoints}.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_user", redis = false)
class ApiContractTest {

  @Inject Pool pool;

  @Test
  void everyEndpointAnswers401ProblemWithoutAToken() {
    for (Endpoints.Endpoint endpoint : Endpoints.ALL) {
      Response response = endpoint.call(null, Endpoints.nowhere());
      assertThat(response.statusCode()).as(endpoint.toString()).isEqualTo(401);
      assertThat(response.contentType())
          .as(endpoint.toString())
          .startsWith("application/problem+json");
      assertThat(response.header("WWW-Authenticate")).as(endpoint.toString()).startsWith("Bearer");
    }
  }

  @Test
  void everyEndpointAnswers401ForAnExpiredOrForgedToken() {
    Fixtures.Person person = new Fixtures(pool).person();
    String expired =
        TestIssuer.get()
            .builder()
            .subject(person.id().toString())
            .workspace(person.personalWorkspace())
            .role("owner")
            .expiresAt(java.time.Instant.now().minusSeconds(60))
            .sign();
    String forged =
        TestIssuer.get()
            .builder()
            .subject(person.id().toString())
            .workspace(person.personalWorkspace())
            .role("owner")
            .signWithStrangerKey();
    for (Endpoints.Endpoint endpoint : Endpoints.ALL) {
      assertThat(endpoint.call(expired, Endpoints.nowhere()).statusCode())
          .as("expired: " + endpoint)
          .isEqualTo(401);
      assertThat(endpoint.call(forged, Endpoints.nowhere()).statusCode())
          .as("forged: " + endpoint)
          .isEqualTo(401);
    }
  }

  @Test
  void aTokenWithoutTheEndpointsScopeIs403AndReadScopesDoNotWrite() {
    Fixtures.Person person = new Fixtures(pool).person();
    String otherArea = scoped(person, "workflows:read workflows:write");
    String readOnly = scoped(person, "members:read workspace:read");
    for (Endpoints.Endpoint endpoint : Endpoints.ALL) {
      Response foreign = endpoint.call(otherArea, Endpoints.nowhere());
      assertThat(foreign.statusCode()).as("workflows scopes: " + endpoint).isEqualTo(403);
      assertThat(foreign.contentType()).startsWith("application/problem+json");
      int status = endpoint.call(readOnly, Endpoints.nowhere()).statusCode();
      if (endpoint.writes()) {
        assertThat(status).as("read scopes: " + endpoint).isEqualTo(403);
      } else {
        // allowed through: 200, or 404 for the ids that exist nowhere
        assertThat(status).as("read scopes: " + endpoint).isIn(200, 404);
      }
    }
  }

  @Test
  void actingAsYourselfNeedsAPersonsTokenNotAnApiKeysScopes() {
    Fixtures.Person person = new Fixtures(pool).person();
    String everyScope = scoped(person, "members:read members:write workspace:read workspace:write");
    for (Endpoints.Endpoint endpoint : Endpoints.ALL) {
      if (endpoint.personOnly()) {
        assertThat(endpoint.call(everyScope, Endpoints.nowhere()).statusCode())
            .as("API-key scopes: " + endpoint)
            .isEqualTo(403);
      }
    }
  }

  @Test
  void everyDocumentedEndpointIsInTheCatalogueAndDocumentsItsResponses() {
    Set<String> documented =
        OpenApiContract.operations(List.of("/api/v1/"), Set.of()).stream()
            .map(OpenApiContract.Operation::toString)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> catalogued =
        Endpoints.ALL.stream()
            .map(Endpoints.Endpoint::toString)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(documented).isEqualTo(catalogued);
  }

  private static String scoped(Fixtures.Person person, String scope) {
    return TestIssuer.get()
        .builder()
        .subject(person.id().toString())
        .workspace(person.personalWorkspace())
        .role("owner")
        .scope(scope)
        .sign();
  }
}
