package io.linkflow.user;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** GET and PATCH /api/v1/users/me: a person's own profile. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_user", redis = false)
class ProfileApiTest {

  @Inject Pool pool;

  @Test
  void aPersonSeesTheirProfileAndSetsADisplayNameTrimmed() {
    Fixtures.Person person = new Fixtures(pool).person();
    String token = person.token(person.personalWorkspace(), "owner");
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/users/me")
        .then()
        .statusCode(200)
        .body("id", equalTo(person.id().toString()))
        .body("email", equalTo(person.email()))
        .body("emailVerified", equalTo(false))
        .body("displayName", nullValue())
        .body("createdAt", notNullValue());

    patch(token, Map.of("displayName", "  Grace Hopper  "))
        .statusCode(200)
        .body("displayName", equalTo("Grace Hopper"));
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/users/me")
        .then()
        .body("displayName", equalTo("Grace Hopper"));
  }

  @Test
  void aBadDisplayNameIs400WithItsPointerAndChangesNothing() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person person = db.person();
    String token = person.token(person.personalWorkspace(), "viewer");
    patch(token, Map.of("displayName", "Ada")).statusCode(200);

    for (Object bad : new Object[] {"   ", "x".repeat(101), "two\nlines"}) {
      patch(token, Map.of("displayName", bad))
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].pointer", equalTo("/displayName"));
    }
    patch(token, Map.of()).statusCode(400).body("errors[0].pointer", equalTo("/displayName"));
    patch(token, Map.of("displayName", "Ada", "admin", true))
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/admin"));
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body("{\"displayName\": ")
        .patch("/api/v1/users/me")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    patch(token, Map.of("displayName", "y".repeat(100))).statusCode(200);
    assertThat(
            db.rows("SELECT display_name FROM app_user WHERE id = $1", person.id())
                .get(0)
                .getString("display_name"))
        .isEqualTo("y".repeat(100));
  }

  @Test
  void anAccountWhoseSignUpHasNotArrivedYetIs404() {
    String token = TestIssuer.get().token(UUID.randomUUID(), UUID.randomUUID(), "owner");
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/users/me")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    patch(token, Map.of("displayName", "Nobody")).statusCode(404);
  }

  private static ValidatableResponse patch(String token, Object body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(body)
        .patch("/api/v1/users/me")
        .then();
  }
}
