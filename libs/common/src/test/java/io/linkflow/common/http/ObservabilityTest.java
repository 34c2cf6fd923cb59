package io.linkflow.common.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linkflow.common.logging.JsonLogFormatter;
import io.linkflow.testing.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ObservabilityTest {

  private final JsonLogFormatter formatter = new JsonLogFormatter("common-test", "0.1.0-SNAPSHOT");
  private LogCapture logs;

  @BeforeEach
  void attach() {
    logs = LogCapture.start();
  }

  @AfterEach
  void detach() {
    logs.close();
  }

  @Test
  void requestIdIsEchoedAndOnEveryLogLineOfTheRequest() throws Exception {
    given()
        .header("X-Request-ID", "abc")
        .get("/test/items/42")
        .then()
        .statusCode(200)
        .header("X-Request-ID", "abc");

    List<JsonNode> ofRequest = linesWithRequestId("abc");
    JsonNode appLine =
        ofRequest.stream()
            .filter(n -> n.path("message").asText().equals("reading item 42"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("application line missing: " + ofRequest));
    assertThat(appLine.path("service").asText()).isEqualTo("common-test");
    assertThat(appLine.path("level").asText()).isEqualTo("INFO");

    JsonNode access =
        ofRequest.stream()
            .filter(n -> n.path("logger").asText().equals("io.linkflow.access"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("access line missing: " + ofRequest));
    assertThat(access.path("method").asText()).isEqualTo("GET");
    assertThat(access.path("path").asText()).isEqualTo("/test/items/42");
    assertThat(access.path("route").asText()).isEqualTo("/test/items/{id}");
    assertThat(access.path("status").isInt()).isTrue();
    assertThat(access.path("status").asInt()).isEqualTo(200);
    assertThat(access.path("duration_ms").isNumber()).isTrue();
    assertThat(access.path("bytes").asLong()).isPositive();
    assertThat(access.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(access.path("version").asText()).isEqualTo("0.1.0-SNAPSHOT");
    // No OTLP endpoint is configured here, so tracing is off: no trace ids are made up.
    assertThat(access.has("trace_id")).isFalse();
  }

  @Test
  void requestIdIsGeneratedWhenMissingOrUnsafe() {
    given().get("/test/items/1").then().header("X-Request-ID", matchesPattern("[0-9a-f\\-]{36}"));
    given()
        .header("X-Request-ID", "bad id\twith spaces")
        .get("/test/items/1")
        .then()
        .header("X-Request-ID", matchesPattern("[0-9a-f\\-]{36}"));
  }

  @Test
  void metricsCarryTheGuideSeriesWithRouteTemplates() {
    given().get("/test/items/7").then().statusCode(200);
    given().get("/test/items/8").then().statusCode(200);
    given().get("/nothing-here").then().statusCode(404);

    String metrics = given().get("/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("http_requests_total{method=\"GET\",route=\"/test/items/{id}\",status=\"200\"}")
        .contains("http_request_duration_seconds_bucket{")
        .contains("http_requests_in_flight")
        .contains("route=\"NOT_FOUND\",status=\"404\"")
        .contains("jvm_memory_used_bytes")
        .contains("process_cpu_usage");
    assertThat(metrics).doesNotContain("route=\"/test/items/7\"");
  }

  @Test
  void openApiDocumentIsServed() {
    given()
        .accept("application/json")
        .get("/openapi")
        .then()
        .statusCode(200)
        .body("openapi", matchesPattern("3\\..*"))
        .body("paths", org.hamcrest.Matchers.hasKey("/health/ready"));
    given().get("/openapi").then().statusCode(200).body(containsString("/test/items/{id}"));
    given().get("/health/live").then().body("status", equalTo("healthy"));
  }

  private List<JsonNode> linesWithRequestId(String id) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> result = new java.util.ArrayList<>();
    List<String> lines = logs.records().stream().map(formatter::format).toList();
    for (String line : lines) {
      JsonNode node = mapper.readTree(line);
      if (id.equals(node.path("request_id").asText())) {
        result.add(node);
      }
    }
    return result;
  }
}
