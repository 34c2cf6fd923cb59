package io.linkflow.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every LinkFlow service answers, whatever it does: readiness over the dependencies it really
 * uses, liveness, Prometheus metrics, request ids, an OpenAPI document and problem+json errors. A
 * service's test extends this with {@code @QuarkusTest @RealInfrastructure(...)} and names itself
 * and its checks, so the platform contract runs against real servers in all sixteen.
 */
public abstract class ServicePlatformContract {

  private final String service;
  private final List<String> checks;

  protected ServicePlatformContract(String service, List<String> checks) {
    this.service = service;
    this.checks = List.copyOf(checks);
  }

  protected String service() {
    return service;
  }

  @Test
  void readinessReportsEveryDependencyTheServiceUses() {
    JsonPath health =
        given()
            .get("/health/ready")
            .then()
            .statusCode(200)
            .contentType("application/json")
            .extract()
            .jsonPath();
    assertThat(health.getString("status")).isEqualTo("healthy");
    Map<String, String> reported = health.getMap("checks");
    assertThat(reported.keySet()).containsExactlyInAnyOrderElementsOf(checks);
    assertThat(reported.values()).allMatch("ok"::equals);
    assertThat(health.getString("version")).isNotBlank();
    assertThat(health.getString("uptime")).matches("\\d+h\\d+m");
    given().get("/health").then().statusCode(200).body("status", equalTo("healthy"));
  }

  @Test
  void livenessNeedsNoDependency() {
    given().get("/health/live").then().statusCode(200).body("status", equalTo("healthy"));
  }

  @Test
  void metricsCarryTheOperationsGuideSeries() {
    given().get("/health/live").then().statusCode(200);
    String metrics = given().get("/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("http_requests_total{method=\"GET\",route=\"/health/live\",status=\"200\"}")
        .contains("http_request_duration_seconds_bucket{")
        .contains("http_requests_in_flight")
        .contains("jvm_memory_used_bytes")
        .contains("process_cpu_usage");
  }

  @Test
  void requestIdIsEchoedOrGenerated() {
    given().header("X-Request-ID", "abc").get("/health/live").then().header("X-Request-ID", "abc");
    given().get("/health/live").then().header("X-Request-ID", matchesPattern(".{36}"));
  }

  @Test
  void unknownRouteIsAProblemDocument() {
    given()
        .get("/api/v1/no-such-resource")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("status", equalTo(404))
        .body("instance", equalTo("/api/v1/no-such-resource"));
  }

  @Test
  void openApiDocumentNamesTheService() {
    given()
        .accept("application/json")
        .get("/openapi")
        .then()
        .statusCode(200)
        .body("info.title", containsString(service))
        .body("paths", org.hamcrest.Matchers.hasKey("/health/ready"));
  }
}
