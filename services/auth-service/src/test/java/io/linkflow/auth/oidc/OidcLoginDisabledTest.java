package io.linkflow.auth.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.linkflow.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * With external log-in not configured (the default), the service starts and the log-in paths answer
 * 404 problem+json instead of redirecting anywhere.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_auth", testIssuer = false)
class OidcLoginDisabledTest {

  @Test
  void theLogInEndpointsSayExternalLogInIsNotConfigured() {
    given()
        .redirects()
        .follow(false)
        .get("/api/v1/auth/oidc/login")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("status", equalTo(404))
        .body("detail", containsString("not configured"));
    given()
        .redirects()
        .follow(false)
        .queryParam("code", "anything")
        .queryParam("state", "anything")
        .get("/api/v1/auth/oidc/callback")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
  }
}
