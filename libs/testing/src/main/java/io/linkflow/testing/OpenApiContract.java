package io.linkflow.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operations of the running service's OpenAPI document, each checked to be documented: a
 * summary, a tag and — unless its path is public — a 401 response. API contract tests iterate them
 * (authentication, scopes) or compare them with an endpoint catalogue.
 */
public final class OpenApiContract {

  /** One documented operation; {@code toString} is {@code "METHOD /path/{template}"}. */
  public record Operation(String method, String path) {

    public boolean reads() {
      return method.equals("GET");
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private OpenApiContract() {}

  /**
   * The operations under any of {@code prefixes}, after checking each is documented; {@code
   * publicPaths} need no 401 (e.g. an OAuth2 callback).
   */
  public static List<Operation> operations(List<String> prefixes, Set<String> publicPaths) {
    JsonPath openapi =
        given()
            .accept("application/json")
            .get("/openapi?format=json")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    Map<String, Map<String, Map<String, Object>>> paths = openapi.getMap("paths");
    List<Operation> operations = new ArrayList<>();
    paths.forEach(
        (path, methods) -> {
          if (prefixes.stream().noneMatch(path::startsWith)) {
            return;
          }
          methods.forEach(
              (method, operation) -> {
                String name = method.toUpperCase() + " " + path;
                assertThat(operation).as(name).containsKeys("summary", "tags");
                if (!publicPaths.contains(path)) {
                  @SuppressWarnings("unchecked")
                  Map<String, Object> responses = (Map<String, Object>) operation.get("responses");
                  assertThat(responses).as(name).containsKey("401");
                }
                operations.add(new Operation(method.toUpperCase(), path));
              });
        });
    return operations;
  }
}
