package io.linkflow.user;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Every endpoint of user-service's public API, with what calling it needs. Tests that must hold for
 * all endpoints (authentication, scopes, workspace isolation) iterate this list, and
 * ApiCoverageTest fails when the OpenAPI document has an endpoint that is missing here: adding an
 * endpoint means adding one line below.
 */
final class Endpoints {

  /** What an endpoint acts on. */
  enum Kind {
    /** The calling person (their profile, workspaces, invitations addressed to them). */
    PERSON,
    /** Creates a new workspace. */
    CREATE_WORKSPACE,
    /** The token's workspace, or something in it named by an id. */
    WORKSPACE
  }

  /**
   * The objects of one workspace that endpoints name by id (or, for an invitation, by its secret).
   */
  record Target(UUID teamId, UUID userId, UUID invitationId, String invitationToken) {}

  /**
   * One endpoint.
   *
   * @param method the HTTP method
   * @param template the path as the OpenAPI document names it
   * @param kind what it acts on
   * @param permission the scope it needs
   * @param ids the values of the path's placeholders, from a target
   * @param body the JSON body to send, from a target (null for none)
   * @param namesTarget whether the call names an object of the target (by id or secret)
   */
  record Endpoint(
      String method,
      String template,
      Kind kind,
      String permission,
      Function<Target, Map<String, Object>> ids,
      Function<Target, Object> body,
      boolean namesTarget) {

    Endpoint withIds(Function<Target, Map<String, Object>> values) {
      return new Endpoint(method, template, kind, permission, values, body, true);
    }

    Endpoint withBody(Function<Target, Object> value) {
      return new Endpoint(method, template, kind, permission, ids, value, namesTarget);
    }

    /** A body that names the target (an invitation's secret). */
    Endpoint withTargetBody(Function<Target, Object> value) {
      return new Endpoint(method, template, kind, permission, ids, value, true);
    }

    boolean writes() {
      return permission.endsWith(":write") || personOnly();
    }

    /** Needs a person's token (scope api): acting as yourself, never as an API key. */
    boolean personOnly() {
      return permission.equals("api");
    }

    /** Calls it on {@code target}'s objects with {@code token} (null for no credential). */
    Response call(String token, Target target) {
      RequestSpecification request = given().contentType("application/json");
      if (token != null) {
        request = request.auth().oauth2(token);
      }
      Object payload = body.apply(target);
      if (payload != null) {
        request = request.body(payload);
      }
      String path = template;
      for (Map.Entry<String, Object> id : ids.apply(target).entrySet()) {
        path = path.replace("{" + id.getKey() + "}", id.getValue().toString());
      }
      return request.request(method, path);
    }

    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  static final List<Endpoint> ALL =
      List.of(
          person("GET", "/api/v1/users/me", "members:read"),
          person("PATCH", "/api/v1/users/me", "api")
              .withBody(t -> Map.of("displayName", "Someone Else")),
          person("GET", "/api/v1/users/me/workspaces", "workspace:read"),
          person("GET", "/api/v1/users/me/invitations", "members:read"),
          person("POST", "/api/v1/users/me/invitations/accept", "api")
              .withTargetBody(t -> Map.of("token", t.invitationToken())),
          person("POST", "/api/v1/users/me/invitations/decline", "api")
              .withTargetBody(t -> Map.of("token", t.invitationToken())),
          endpoint("POST", "/api/v1/workspaces", Kind.CREATE_WORKSPACE, "api")
              .withBody(t -> Map.of("name", "Another workspace")),
          workspace("GET", "/api/v1/workspaces/current", "workspace:read"),
          workspace("PATCH", "/api/v1/workspaces/current", "workspace:write")
              .withBody(t -> Map.of("name", "Taken over")),
          workspace("POST", "/api/v1/workspaces/current/leave", "api"),
          workspace("GET", "/api/v1/workspaces/current/members", "members:read"),
          workspace("PATCH", "/api/v1/workspaces/current/members/{userId}", "members:write")
              .withIds(t -> Map.of("userId", t.userId()))
              .withBody(t -> Map.of("role", "viewer")),
          workspace("DELETE", "/api/v1/workspaces/current/members/{userId}", "members:write")
              .withIds(t -> Map.of("userId", t.userId())),
          workspace("POST", "/api/v1/workspaces/current/invitations", "members:write")
              .withBody(
                  t ->
                      Map.of("email", "x-" + UUID.randomUUID() + "@example.com", "role", "viewer")),
          workspace("GET", "/api/v1/workspaces/current/invitations", "members:read"),
          workspace("DELETE", "/api/v1/workspaces/current/invitations/{id}", "members:write")
              .withIds(t -> Map.of("id", t.invitationId())),
          workspace("POST", "/api/v1/teams", "members:write")
              .withBody(t -> Map.of("name", "team-" + UUID.randomUUID())),
          workspace("GET", "/api/v1/teams", "members:read"),
          workspace("GET", "/api/v1/teams/{id}", "members:read")
              .withIds(t -> Map.of("id", t.teamId())),
          workspace("PATCH", "/api/v1/teams/{id}", "members:write")
              .withIds(t -> Map.of("id", t.teamId()))
              .withBody(t -> Map.of("name", "renamed-" + UUID.randomUUID())),
          workspace("DELETE", "/api/v1/teams/{id}", "members:write")
              .withIds(t -> Map.of("id", t.teamId())),
          workspace("PUT", "/api/v1/teams/{id}/members/{userId}", "members:write")
              .withIds(t -> Map.of("id", t.teamId(), "userId", t.userId())),
          workspace("DELETE", "/api/v1/teams/{id}/members/{userId}", "members:write")
              .withIds(t -> Map.of("id", t.teamId(), "userId", t.userId())));

  /** A target whose ids exist nowhere, for calls where only authentication matters. */
  static Target nowhere() {
    return new Target(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "no-such-token");
  }

  private static Endpoint person(String method, String template, String permission) {
    return endpoint(method, template, Kind.PERSON, permission);
  }

  private static Endpoint workspace(String method, String template, String permission) {
    return endpoint(method, template, Kind.WORKSPACE, permission);
  }

  private static Endpoint endpoint(String method, String template, Kind kind, String permission) {
    return new Endpoint(method, template, kind, permission, t -> Map.of(), t -> null, false);
  }

  private Endpoints() {}
}
