package io.linkflow.credential;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Every endpoint of credential-service, with what calling it needs. Tests that must hold for all
 * endpoints (authentication, scopes, workspace isolation) iterate this list, and ApiContractTest
 * fails when the OpenAPI document has an endpoint missing here: adding an endpoint means adding one
 * line below.
 */
final class Endpoints {

  /**
   * One endpoint.
   *
   * @param method the HTTP method
   * @param template the path as the OpenAPI document names it
   * @param permission the scope it needs; null for a public endpoint (the OAuth2 callback)
   * @param body the JSON body to send for a credential of a workspace (null for none)
   */
  record Endpoint(String method, String template, String permission, Function<UUID, Object> body) {

    boolean writes() {
      return permission != null && permission.endsWith(":write");
    }

    boolean internal() {
      return template.startsWith("/internal/");
    }

    /** Calls it for credential {@code id} (of workspace {@code workspace}) with {@code token}. */
    Response call(String token, UUID id, UUID workspace) {
      RequestSpecification request = Api.as(token);
      Object payload = body.apply(workspace);
      if (payload != null) {
        request = request.body(payload);
      }
      return request.request(method, template.replace("{id}", id.toString()));
    }

    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  static final List<Endpoint> ALL =
      List.of(
          new Endpoint(
              "POST",
              "/api/v1/credentials",
              "credentials:write",
              w ->
                  Map.of(
                      "name",
                      "n-" + UUID.randomUUID(),
                      "type",
                      "httpBearerToken",
                      "data",
                      Map.of("token", "t"))),
          new Endpoint("GET", "/api/v1/credentials", "credentials:read", w -> null),
          new Endpoint("GET", "/api/v1/credentials/{id}", "credentials:read", w -> null),
          new Endpoint(
              "PATCH",
              "/api/v1/credentials/{id}",
              "credentials:write",
              w -> Map.of("name", "taken-over", "data", Map.of("token", "theirs"))),
          new Endpoint("DELETE", "/api/v1/credentials/{id}", "credentials:write", w -> null),
          new Endpoint(
              "POST", "/api/v1/credentials/{id}/oauth2/authorize", "credentials:write", w -> null),
          new Endpoint("GET", "/api/v1/credentials/oauth2/callback", null, w -> null),
          new Endpoint(
              "POST",
              "/internal/v1/credentials/{id}/decrypt",
              "credentials:decrypt",
              w -> Map.of("workspaceId", w.toString())),
          new Endpoint("POST", "/internal/v1/secrets/rewrap", "secrets:rewrap", w -> null));

  private Endpoints() {}
}
