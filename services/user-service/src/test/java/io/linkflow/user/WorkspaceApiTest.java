package io.linkflow.user;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.linkflow.events.payload.MembershipChangedV1;
import io.linkflow.events.payload.WorkspaceCreatedV1;
import io.linkflow.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Creating workspaces, the current workspace, and the workspaces a person belongs to. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_user", redis = false)
class WorkspaceApiTest {

  @Inject Pool pool;

  @Test
  void creatingAWorkspaceMakesTheCallerItsOwnerAndAnnouncesBothOnUserEvents() {
    Fixtures.Person person = new Fixtures(pool).person();
    String token = person.token(person.personalWorkspace(), "owner");
    try (UserEvents events = new UserEvents()) {
      String id =
          create(token, Map.of("name", "  Acme Robotics  "))
              .statusCode(201)
              .body("name", equalTo("Acme Robotics"))
              .body("personal", equalTo(false))
              .body("role", equalTo("owner"))
              .extract()
              .path("id");
      UUID workspace = UUID.fromString(id);

      List<UserEvents.Event> emitted =
          events.expect(workspace, UserEvents.WORKSPACE_CREATED, UserEvents.MEMBER_ADDED);
      assertThat(emitted.get(0).workspaceCreated())
          .isEqualTo(new WorkspaceCreatedV1(workspace, "Acme Robotics", person.id(), false));
      assertThat(emitted.get(1).membership())
          .isEqualTo(new MembershipChangedV1(workspace, person.id(), "owner", "workspace_created"));
    }

    // The list a client offers for switching: both workspaces, the personal one first.
    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/users/me/workspaces")
        .then()
        .statusCode(200)
        .body("items.name", contains("Personal", "Acme Robotics"))
        .body("items.role", contains("owner", "owner"))
        .body("items.personal", contains(true, false));
  }

  @Test
  void myWorkspacesListsEveryMembershipWithItsRoleAndNothingElse() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person owner = db.person();
    UUID shared = db.workspace(owner, "Shared " + UUID.randomUUID());
    Fixtures.Person viewer = db.member(shared, "viewer");
    db.workspace(db.person(), "Somebody else's");

    given()
        .auth()
        .oauth2(viewer.token(viewer.personalWorkspace(), "owner"))
        .get("/api/v1/users/me/workspaces")
        .then()
        .statusCode(200)
        .body("items.id", contains(viewer.personalWorkspace().toString(), shared.toString()))
        .body("items.role", contains("owner", "viewer"));
  }

  @Test
  void theCurrentWorkspaceIsTheTokensAndOnlyAdminsRenameIt() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person owner = db.person();
    UUID workspace = db.workspace(owner, "Before");
    Fixtures.Person admin = db.member(workspace, "admin");
    Fixtures.Person editor = db.member(workspace, "editor");

    given()
        .auth()
        .oauth2(editor.token(workspace, "editor"))
        .get("/api/v1/workspaces/current")
        .then()
        .statusCode(200)
        .body("id", equalTo(workspace.toString()))
        .body("name", equalTo("Before"))
        .body("role", equalTo("editor"));

    rename(editor.token(workspace, "editor"), Map.of("name", "By an editor"))
        .statusCode(403)
        .contentType("application/problem+json");
    rename(admin.token(workspace, "admin"), Map.of("name", " After "))
        .statusCode(200)
        .body("name", equalTo("After"))
        .body("role", equalTo("admin"));
    assertThat(name(db, workspace)).isEqualTo("After");
  }

  @Test
  void badNamesAre400WithAPointerAndCreateNothing() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person person = db.person();
    String token = person.token(person.personalWorkspace(), "owner");
    for (Object bad : new Object[] {"", "   ", "n".repeat(101)}) {
      create(token, Map.of("name", bad))
          .statusCode(400)
          .contentType("application/problem+json")
          .body("errors[0].pointer", equalTo("/name"));
      rename(token, Map.of("name", bad))
          .statusCode(400)
          .body("errors[0].pointer", equalTo("/name"));
    }
    create(token, Map.of()).statusCode(400).body("errors.pointer", hasItems("/name"));
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .post("/api/v1/workspaces")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    create(token, Map.of("name", "Fine", "personal", true))
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/personal"));
    assertThat(db.count("SELECT count(*) FROM membership WHERE user_id = $1", person.id()))
        .isEqualTo(1);
    assertThat(name(db, person.personalWorkspace())).isEqualTo("Personal");
  }

  @Test
  void theStoredRoleWinsOverAStaleTokenAndFormerMembersGet404() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person owner = db.person();
    UUID workspace = db.workspace(owner, "Stale");
    Fixtures.Person demoted = db.member(workspace, "editor");
    // Their token still says admin (issued before the demotion).
    rename(demoted.token(workspace, "admin"), Map.of("name", "Hijacked")).statusCode(403);
    // Someone removed from the workspace, with a token that has not expired yet.
    Fixtures.Person former = db.person();
    for (String path :
        List.of(
            "/api/v1/workspaces/current", "/api/v1/workspaces/current/members", "/api/v1/teams")) {
      given()
          .auth()
          .oauth2(former.token(workspace, "admin"))
          .get(path)
          .then()
          .statusCode(404)
          .contentType("application/problem+json");
    }
    rename(former.token(workspace, "admin"), Map.of("name", "Hijacked")).statusCode(404);
    assertThat(name(db, workspace)).isEqualTo("Stale");
  }

  private static String name(Fixtures db, UUID workspace) {
    return db.rows("SELECT name FROM workspace WHERE id = $1", workspace).get(0).getString("name");
  }

  private static ValidatableResponse create(String token, Object body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(body)
        .post("/api/v1/workspaces")
        .then();
  }

  private static ValidatableResponse rename(String token, Object body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(body)
        .patch("/api/v1/workspaces/current")
        .then();
  }
}
