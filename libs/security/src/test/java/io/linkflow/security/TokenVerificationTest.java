package io.linkflow.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every way a token can be wrong is a 401 problem; insufficient roles or scopes are a 403. */
@QuarkusTest
@RealInfrastructure(postgres = false, kafka = false, redis = false)
class TokenVerificationTest {

  private final TestIssuer issuer = TestIssuer.get();
  private final UUID user = UUID.randomUUID();
  private final UUID workspace = UUID.randomUUID();

  @Test
  void aValidTokenIdentifiesTheCallerAndTheirWorkspace() {
    given()
        .auth()
        .oauth2(issuer.token(user, workspace, Roles.OWNER))
        .get("/test/secured/me")
        .then()
        .statusCode(200)
        .body("user", equalTo(user.toString()))
        .body("workspace", equalTo(workspace.toString()))
        .body("editor", equalTo(true));
  }

  @Test
  void noCredentialIsA401ProblemWithAChallenge() {
    given()
        .get("/test/secured/me")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", containsString("Bearer"))
        .body("status", equalTo(401))
        .body("detail", containsString("Authentication is required"));
  }

  @Test
  void expiredTokensAreRefused() {
    refused(issuer.builder().expiresAt(Instant.now().minus(Duration.ofSeconds(5))).sign());
  }

  @Test
  void tokensSignedByAnotherKeyAreRefused() {
    refused(issuer.builder().role(Roles.OWNER).signWithStrangerKey());
  }

  @Test
  void unsignedTokensAreRefused() {
    refused(issuer.builder().role(Roles.OWNER).unsigned());
  }

  @Test
  void tokensOfAnotherIssuerAreRefused() {
    refused(issuer.builder().issuer("https://evil.example/api/v1/auth").sign());
  }

  @Test
  void tokensForAnotherAudienceAreRefused() {
    refused(issuer.builder().audience("another-app").sign());
  }

  @Test
  void garbageIsRefused() {
    refused("not-a-jwt");
  }

  @Test
  void publicEndpointsAndHealthNeedNoCredential() {
    given().get("/test/secured/public").then().statusCode(200);
    given().get("/health/live").then().statusCode(200);
  }

  @Test
  void insufficientRoleIsA403Problem() {
    given()
        .auth()
        .oauth2(issuer.token(user, workspace, Roles.EDITOR))
        .delete("/test/secured/admin")
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("status", equalTo(403));
  }

  @Test
  void higherRolesIncludeLowerOnes() {
    given()
        .auth()
        .oauth2(issuer.token(user, workspace, Roles.OWNER))
        .delete("/test/secured/admin")
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(issuer.token(user, workspace, Roles.VIEWER))
        .get("/test/secured/me")
        .then()
        .statusCode(200)
        .body("editor", equalTo(false));
  }

  @Test
  void scopesLimitWhatATokenMayDo() {
    String readOnly =
        issuer.builder().workspace(workspace).role(Roles.ADMIN).scope("workflows:read").sign();
    given().auth().oauth2(readOnly).get("/test/secured/workflows").then().statusCode(200);
    String writer =
        issuer.builder().workspace(workspace).role(Roles.ADMIN).scope("workflows:write").sign();
    given().auth().oauth2(writer).get("/test/secured/workflows").then().statusCode(200);
    String other =
        issuer.builder().workspace(workspace).role(Roles.ADMIN).scope("executions:write").sign();
    given().auth().oauth2(other).get("/test/secured/workflows").then().statusCode(403);
  }

  @Test
  void internalScopesAreOnlyForServiceTokens() {
    given()
        .auth()
        .oauth2(issuer.token(user, workspace, Roles.OWNER))
        .get("/test/secured/decrypt")
        .then()
        .statusCode(403);
    String service =
        issuer
            .builder()
            .subject("service:executor")
            .workspace(null)
            .scope(Scopes.CREDENTIALS_DECRYPT)
            .sign();
    given().auth().oauth2(service).get("/test/secured/decrypt").then().statusCode(200);
    given()
        .auth()
        .oauth2(service)
        .get("/test/secured/me")
        .then()
        .statusCode(200)
        .body("principal", equalTo("service:executor"))
        .body("workspace", equalTo(""));
  }

  private static void refused(String token) {
    ValidatableResponse response =
        given().auth().oauth2(token).get("/test/secured/me").then().statusCode(401);
    response
        .contentType("application/problem+json")
        .header("WWW-Authenticate", containsString("invalid_token"))
        .body("status", equalTo(401));
  }
}
