package io.linkflow.user;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.linkflow.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Teams of the current workspace: admins shape them, every member reads them. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_user", redis = false)
class TeamApiTest {

  @Inject Pool pool;

  @Test
  void adminsCreateRenameAndDeleteTeamsAndMembersListThemByName() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person owner = db.person();
    UUID workspace = db.workspace(owner, "Teams");
    Fixtures.Person admin = db.member(workspace, "admin");
    Fixtures.Person viewer = db.member(workspace, "viewer");
    String adminToken = admin.token(workspace, "admin");
    String viewerToken = viewer.token(workspace, "viewer");

    var created =
        create(adminToken, Map.of("name", "  Platform ", "description", "Keeps the lights on"))
            .statusCode(201)
            .body("name", equalTo("Platform"))
            .body("description", equalTo("Keeps the lights on"))
            .body("members", empty())
            .extract();
    String id = created.path("id");
    assertThat(created.header("Location")).endsWith("/api/v1/teams/" + id);
    for (String name : List.of("design", "Billing", "Apps", "zeta")) {
      create(adminToken, Map.of("name", name)).statusCode(201).body("description", nullValue());
    }

    List<String> names = new ArrayList<>();
    String cursor = null;
    do {
      var request = given().auth().oauth2(viewerToken).queryParam("limit", 2);
      if (cursor != null) {
        request = request.queryParam("cursor", cursor);
      }
      JsonPath page = request.get("/api/v1/teams").then().statusCode(200).extract().jsonPath();
      names.addAll(page.getList("items.name"));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    assertThat(names).containsExactly("Apps", "Billing", "design", "Platform", "zeta");

    update(adminToken, id, Map.of("name", "Platform Engineering"))
        .statusCode(200)
        .body("name", equalTo("Platform Engineering"))
        .body("description", equalTo("Keeps the lights on"));
    update(adminToken, id, Map.of("description", ""))
        .statusCode(200)
        .body("name", equalTo("Platform Engineering"))
        .body("description", nullValue());
    given()
        .auth()
        .oauth2(viewerToken)
        .get("/api/v1/teams/" + id)
        .then()
        .statusCode(200)
        .body("name", equalTo("Platform Engineering"));

    given().auth().oauth2(adminToken).delete("/api/v1/teams/" + id).then().statusCode(204);
    given().auth().oauth2(viewerToken).get("/api/v1/teams/" + id).then().statusCode(404);
    given().auth().oauth2(adminToken).delete("/api/v1/teams/" + id).then().statusCode(404);
  }

  @Test
  void teamNamesAreUniquePerWorkspaceWhateverTheirCase() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person owner = db.person();
    UUID workspace = db.workspace(owner, "Unique");
    String token = owner.token(workspace, "owner");
    create(token, Map.of("name", "Ops")).statusCode(201);
    create(token, Map.of("name", "OPS")).statusCode(409).contentType("application/problem+json");
    String other = create(token, Map.of("name", "Dev")).statusCode(201).extract().path("id");
    update(token, other, Map.of("name", "ops")).statusCode(409);
    assertThat(db.count("SELECT count(*) FROM team WHERE workspace_id = $1", workspace))
        .isEqualTo(2);

    // Another workspace may use the same name.
    Fixtures.Person elsewhere = db.person();
    UUID second = db.workspace(elsewhere, "Elsewhere");
    create(elsewhere.token(second, "owner"), Map.of("name", "Ops")).statusCode(201);
  }

  @Test
  void onlyWorkspaceMembersJoinTeamsAndOnlyAdminsChangeThem() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person owner = db.person();
    UUID workspace = db.workspace(owner, "Members");
    Fixtures.Person editor = db.member(workspace, "editor");
    Fixtures.Person outsider = db.person();
    String token = owner.token(workspace, "owner");
    String editorToken = editor.token(workspace, "editor");
    String team = create(token, Map.of("name", "Core")).statusCode(201).extract().path("id");

    create(editorToken, Map.of("name", "Mine")).statusCode(403);
    update(editorToken, team, Map.of("name", "Mine")).statusCode(403);
    given().auth().oauth2(editorToken).delete("/api/v1/teams/" + team).then().statusCode(403);
    addMember(editorToken, team, editor.id()).statusCode(403);

    addMember(token, team, editor.id()).statusCode(204);
    addMember(token, team, editor.id()).statusCode(204);
    addMember(token, team, owner.id()).statusCode(204);
    addMember(token, team, outsider.id()).statusCode(404).contentType("application/problem+json");
    addMember(token, UUID.randomUUID().toString(), editor.id()).statusCode(404);
    given()
        .auth()
        .oauth2(editorToken)
        .get("/api/v1/teams/" + team)
        .then()
        .statusCode(200)
        .body("members.userId", contains(editor.id().toString(), owner.id().toString()))
        .body("members[0].email", equalTo(editor.email()));
    given()
        .auth()
        .oauth2(editorToken)
        .get("/api/v1/teams")
        .then()
        .body("items[0].memberCount", equalTo(2));

    given()
        .auth()
        .oauth2(token)
        .delete("/api/v1/teams/" + team + "/members/" + editor.id())
        .then()
        .statusCode(204);
    given()
        .auth()
        .oauth2(token)
        .delete("/api/v1/teams/" + team + "/members/" + editor.id())
        .then()
        .statusCode(404);
    // Taking someone out of a team leaves them in the workspace.
    assertThat(db.role(workspace, editor.id())).isEqualTo("editor");
  }

  @Test
  void badTeamFieldsAre400AndCreateNothing() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person owner = db.person();
    UUID workspace = db.workspace(owner, "Bad input");
    String token = owner.token(workspace, "owner");
    create(token, Map.of("name", " ")).statusCode(400).body("errors[0].pointer", equalTo("/name"));
    create(token, Map.of("name", "t".repeat(101))).statusCode(400);
    create(token, Map.of("name", "Ok", "description", "d".repeat(501)))
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/description"));
    assertThat(db.count("SELECT count(*) FROM team WHERE workspace_id = $1", workspace)).isZero();

    String team = create(token, Map.of("name", "Ok")).statusCode(201).extract().path("id");
    update(token, team, Map.of()).statusCode(400);
    update(token, team, Map.of("name", ""))
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/name"));
    given().auth().oauth2(token).get("/api/v1/teams?cursor=not-a-cursor").then().statusCode(400);
    given().auth().oauth2(token).get("/api/v1/teams/" + team).then().body("name", equalTo("Ok"));
  }

  private static ValidatableResponse create(String token, Map<String, Object> body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(new HashMap<>(body))
        .post("/api/v1/teams")
        .then();
  }

  private static ValidatableResponse update(String token, String id, Map<String, Object> body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(new HashMap<>(body))
        .patch("/api/v1/teams/" + id)
        .then();
  }

  private static ValidatableResponse addMember(String token, String team, UUID user) {
    return given().auth().oauth2(token).put("/api/v1/teams/" + team + "/members/" + user).then();
  }
}
