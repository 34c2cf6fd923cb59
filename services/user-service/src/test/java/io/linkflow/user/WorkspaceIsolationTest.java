package io.linkflow.user;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.linkflow.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two workspaces, A and B: whatever B's owner sends — A's team, member and invitation ids, A's
 * invitation secret, or a token that claims workspace A — they can neither read nor change anything
 * of A. Ids of another workspace answer 404, exactly like ids that do not exist, so not even their
 * existence leaks. Every endpoint of {@link Endpoints} is exercised.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_user", redis = false)
class WorkspaceIsolationTest {

  @Inject Pool pool;

  @Test
  void workspaceBCanNeitherReadNorChangeAnythingOfWorkspaceA() {
    Fixtures db = new Fixtures(pool);
    // Workspace A: an owner, an editor in a team, a pending invitation.
    Fixtures.Person ownerA = db.person();
    String nameA = "Alpha-" + UUID.randomUUID();
    UUID a = db.workspace(ownerA, nameA);
    Fixtures.Person editorA = db.member(a, "editor");
    String teamName = "alpha-team-" + UUID.randomUUID();
    UUID teamA =
        UUID.fromString(
            given()
                .auth()
                .oauth2(ownerA.token(a, "owner"))
                .contentType("application/json")
                .body(Map.of("name", teamName))
                .post("/api/v1/teams")
                .then()
                .statusCode(201)
                .extract()
                .path("id"));
    given()
        .auth()
        .oauth2(ownerA.token(a, "owner"))
        .put("/api/v1/teams/" + teamA + "/members/" + editorA.id())
        .then()
        .statusCode(204);
    String inviteeA = "alpha-invitee-" + UUID.randomUUID() + "@example.com";
    Response invitation =
        given()
            .auth()
            .oauth2(ownerA.token(a, "owner"))
            .contentType("application/json")
            .body(Map.of("email", inviteeA, "role", "admin"))
            .post("/api/v1/workspaces/current/invitations");
    assertThat(invitation.statusCode()).isEqualTo(201);
    UUID invitationA = UUID.fromString(invitation.path("id"));
    String secretA = invitation.path("token");

    // Workspace B: its owner holds every role there.
    Fixtures.Person ownerB = db.person();
    UUID b = db.workspace(ownerB, "Beta");
    String tokenB = ownerB.token(b, "owner");
    // A token of B's owner that claims workspace A (stale, or minted for the wrong workspace).
    String tokenBClaimingA = ownerB.token(a, "owner");

    List<String> before = db.snapshot(a);
    List<String> secretsOfA =
        List.of(
            a.toString(),
            nameA,
            teamA.toString(),
            teamName,
            editorA.email(),
            ownerA.email(),
            inviteeA,
            invitationA.toString());
    List<Endpoints.Target> targets =
        List.of(
            new Endpoints.Target(teamA, editorA.id(), invitationA, secretA),
            new Endpoints.Target(teamA, ownerA.id(), invitationA, secretA));

    for (Endpoints.Target target : targets) {
      for (Endpoints.Endpoint endpoint : Endpoints.ALL) {
        // B's own token, naming A's objects: 404 as for unknown ids.
        Response asB = endpoint.call(tokenB, target);
        if (endpoint.namesTarget()) {
          assertNotFound(asB, "B's token, A's ids: " + endpoint);
        } else {
          assertRevealsNothing(asB, secretsOfA, "B's token: " + endpoint);
        }
        // B's owner with a token claiming A: not a member there, so A does not exist for them.
        Response claimingA = endpoint.call(tokenBClaimingA, target);
        if (endpoint.kind() == Endpoints.Kind.WORKSPACE || endpoint.namesTarget()) {
          assertNotFound(claimingA, "token claiming A: " + endpoint);
        } else {
          assertRevealsNothing(claimingA, secretsOfA, "token claiming A: " + endpoint);
        }
      }
    }

    assertThat(db.snapshot(a)).as("workspace A after B's attempts").isEqualTo(before);
    // And A's own people still see their workspace as it was.
    given()
        .auth()
        .oauth2(editorA.token(a, "editor"))
        .get("/api/v1/teams/" + teamA)
        .then()
        .statusCode(200)
        .body("name", org.hamcrest.Matchers.equalTo(teamName))
        .body("members.userId", org.hamcrest.Matchers.contains(editorA.id().toString()));
  }

  private static void assertNotFound(Response response, String what) {
    assertThat(response.statusCode()).as(what).isEqualTo(404);
    assertThat(response.contentType()).as(what).startsWith("application/problem+json");
  }

  private static void assertRevealsNothing(Response response, List<String> secrets, String what) {
    assertThat(response.statusCode()).as(what).isLessThan(500);
    String body = response.asString();
    for (String secret : secrets) {
      assertThat(body).as(what).doesNotContain(secret);
    }
  }
}
