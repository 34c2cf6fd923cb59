package io.linkflow.common.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HealthResourceTest {

  @Inject
  @Named("fake")
  FakeCheck fake;

  @AfterEach
  void restore() {
    fake.setUp(true);
  }

  @Test
  void readyListsEachCheckWithVersionAndUptime() {
    given()
        .get("/health/ready")
        .then()
        .statusCode(200)
        .contentType("application/json")
        .body("status", equalTo("healthy"))
        .body("checks.fake", equalTo("ok"))
        .body("version", equalTo("0.1.0-SNAPSHOT"))
        .body("uptime", matchesPattern("\\d+h\\d+m"));
    given().get("/health").then().statusCode(200).body("checks.fake", equalTo("ok"));
  }

  @Test
  void readyAnswers503NamingTheFailingCheckAndRecovers() {
    fake.setUp(false);
    given()
        .get("/health/ready")
        .then()
        .statusCode(503)
        .body("status", equalTo("unhealthy"))
        .body("checks.fake", equalTo("down: connection refused"));
    given().get("/health/live").then().statusCode(200).body("status", equalTo("healthy"));

    fake.setUp(true);
    given().get("/health/ready").then().statusCode(200).body("status", equalTo("healthy"));
  }

  @Test
  void liveChecksNoDependency() {
    given()
        .get("/health/live")
        .then()
        .statusCode(200)
        .body("status", equalTo("healthy"))
        .body("checks", anEmptyMap());
  }
}
