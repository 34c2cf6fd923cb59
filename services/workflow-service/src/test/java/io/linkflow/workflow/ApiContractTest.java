package io.linkflow.workflow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.linkflow.testing.OpenApiContract;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What holds for every operation of the OpenAPI document under /api/v1: it is documented (summary,
 * tag, 401), it needs a valid token (401 problem+json) and the token's scopes are enforced (403). A
 * new endpoint is covered by being documented.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_workflow", redis = false)
class ApiContractTest {

  record Operation(String method, String path, boolean writes) {

    Response call(String token) {
      String concrete =
          path.replaceAll("\\{version}", "1").replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
      var request = given().contentType("application/json").body("{}");
      if (token != null) {
        request = request.auth().oauth2(token);
      }
      return request.request(method, concrete);
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  @Test
  void everyOperationIsDocumentedAndNeedsAValidTokenWithItsScope() {
    List<Operation> operations = operations();
    assertThat(operations).hasSizeGreaterThanOrEqualTo(18);
    UUID workspace = UUID.randomUUID();
    String foreign =
        TestIssuer.get()
            .builder()
            .subject(UUID.randomUUID().toString())
            .workspace(workspace)
            .role("owner")
            .scope("variables:read variables:write")
            .sign();
    String readOnly =
        TestIssuer.get()
            .builder()
            .subject(UUID.randomUUID().toString())
            .workspace(workspace)
            .role("owner")
            .scope("workflows:read")
            .sign();
    String expired =
        TestIssuer.get()
            .builder()
            .subject(UUID.randomUUID().toString())
            .workspace(workspace)
            .role("owner")
            .expiresAt(java.time.Instant.now().minusSeconds(60))
            .sign();
    for (Operation operation : operations) {
      Response anonymous = operation.call(null);
      assertThat(anonymous.statusCode()).as("no token: " + operation).isEqualTo(401);
      assertThat(anonymous.contentType()).startsWith("application/problem+json");
      assertThat(operation.call(expired).statusCode()).as("expired: " + operation).isEqualTo(401);
      assertThat(operation.call(foreign).statusCode())
          .as("variables scopes: " + operation)
          .isEqualTo(403);
      int status = operation.call(readOnly).statusCode();
      if (operation.writes()) {
        assertThat(status).as("read scope: " + operation).isEqualTo(403);
      } else {
        assertThat(status).as("read scope: " + operation).isIn(200, 404);
      }
    }
  }

  private static List<Operation> operations() {
    return OpenApiContract.operations(List.of("/api/v1/"), Set.of()).stream()
        .map(o -> new Operation(o.method(), o.path(), !o.reads()))
        .toList();
  }
}
