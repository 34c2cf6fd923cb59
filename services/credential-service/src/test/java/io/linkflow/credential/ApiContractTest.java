package io.linkflow.credential;

import static org.assertj.core.api.Assertions.assertThat;

import io.linkflow.testing.OpenApiContract;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What holds for every endpoint of {@link Endpoints}: a credential is required (401) except on the
 * OAuth2 callback, the token's scopes are enforced (403), and every endpoint is documented in
 * OpenAPI and listed in {@link Endpoints}.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_credential", redis = false)
class ApiContractTest {

  private final UUID workspace = UUID.randomUUID();

  @Test
  void everyEndpointButTheCallbackAnswers401ProblemWithoutAValidToken() {
    String expired =
        TestIssuer.get()
            .builder()
            .workspace(workspace)
            .role("owner")
            .expiresAt(Instant.now().minusSeconds(60))
            .sign();
    String forged =
        TestIssuer.get().builder().workspace(workspace).role("owner").signWithStrangerKey();
    for (Endpoints.Endpoint endpoint : Endpoints.ALL) {
      if (endpoint.permission() == null) {
        continue;
      }
      for (String token : new String[] {null, expired, forged}) {
        Response response = endpoint.call(token, UUID.randomUUID(), workspace);
        assertThat(response.statusCode()).as(endpoint.toString()).isEqualTo(401);
        assertThat(response.contentType())
            .as(endpoint.toString())
            .startsWith("application/problem+json");
      }
    }
  }

  @Test
  void aTokenWithoutTheEndpointsScopeIs403AndReadScopesDoNotWrite() {
    String otherArea = scoped("workflows:read workflows:write");
    String readOnly = scoped("credentials:read");
    String everyPublicScope = scoped("api");
    for (Endpoints.Endpoint endpoint : Endpoints.ALL) {
      if (endpoint.permission() == null) {
        continue;
      }
      Response foreign = endpoint.call(otherArea, UUID.randomUUID(), workspace);
      assertThat(foreign.statusCode()).as("workflows scopes: " + endpoint).isEqualTo(403);
      assertThat(foreign.contentType()).startsWith("application/problem+json");
      int status = endpoint.call(readOnly, UUID.randomUUID(), workspace).statusCode();
      if (endpoint.writes() || endpoint.internal()) {
        assertThat(status).as("read scope: " + endpoint).isEqualTo(403);
      } else {
        assertThat(status).as("read scope: " + endpoint).isIn(200, 404);
      }
      if (endpoint.internal()) {
        assertThat(endpoint.call(everyPublicScope, UUID.randomUUID(), workspace).statusCode())
            .as("a person's token: " + endpoint)
            .isEqualTo(403);
      }
    }
  }

  @Test
  void everyDocumentedEndpointIsInTheCatalogueAndDocumentsItsResponses() {
    Set<String> documented =
        OpenApiContract.operations(
                List.of("/api/v1/", "/internal/"), Set.of("/api/v1/credentials/oauth2/callback"))
            .stream()
            .map(OpenApiContract.Operation::toString)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> catalogued =
        Endpoints.ALL.stream()
            .map(Endpoints.Endpoint::toString)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(documented).isEqualTo(catalogued);
  }

  private String scoped(String scope) {
    return TestIssuer.get().builder().workspace(workspace).role("owner").scope(scope).sign();
  }
}
