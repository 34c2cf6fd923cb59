package io.linkflow.common.error;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad request gets an RFC 9457 problem document, never an HTML page or empty body.
 */
@QuarkusTest
class ProblemResponsesTest {

  @Test
  void malformedJsonIs400() {
    given()
        .contentType("application/json")
        .header("X-Request-ID", "req-400")
        .body("{\"name\": ")
        .post("/test/items")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("type", equalTo("about:blank"))
        .body("title", equalTo("Bad Request"))
        .body("status", equalTo(400))
        .body("detail", startsWith("The request body is not valid JSON"))
        .body("instance", equalTo("/test/items"))
        .body("requestId", equalTo("req-400"));
  }

  @Test
  void unknownFieldIs400NamingIt() {
    given()
        .contentType("application/json")
        .body("{\"name\":\"a\",\"quantity\":1,\"colour\":\"red\"}")
        .post("/test/items")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].pointer", equalTo("/colour"))
        .body("detail", containsString("colour"));
  }

  @Test
  void wrongTypeIs400PointingAtTheField() {
    given()
        .contentType("application/json")
        .body("{\"name\":\"a\",\"quantity\":\"many\"}")
        .post("/test/items")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].pointer", equalTo("/quantity"));
  }

  @Test
  void unknownRouteIs404() {
    given()
        .get("/no/such/thing")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("status", equalTo(404))
        .body("title", equalTo("Not Found"))
        .body("instance", equalTo("/no/such/thing"));
  }

  @Test
  void wrongMethodIs405WithAllow() {
    given()
        .delete("/test/items")
        .then()
        .statusCode(405)
        .contentType("application/problem+json")
        .body("status", equalTo(405));
  }

  @Test
  void wrongMediaTypeIs415() {
    given()
        .contentType("text/plain")
        .body("name=a")
        .post("/test/items")
        .then()
        .statusCode(415)
        .contentType("application/problem+json")
        .body("status", equalTo(415));
  }

  @Test
  void oversizedBodyIs413() {
    String big = "{\"name\":\"" + "x".repeat(4096) + "\",\"quantity\":1}";
    given()
        .contentType("application/json")
        .body(big)
        .post("/test/items")
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body("status", equalTo(413));
  }
}
