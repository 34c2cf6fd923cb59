package io.linkflow.user;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.AuditRecordedV1;
import io.linkflow.events.payload.MembershipChangedV1;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Members of the current workspace: listing, role changes, removal, leaving, and the rule that a
 * workspace always keeps an owner — also when owners act at the same moment.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_user", redis = false)
class MembershipApiTest {

  @Inject Pool pool;

  @Test
  void membersArePagedInTheOrderTheyJoined() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person owner = db.person();
    UUID workspace = db.workspace(owner, "Paged");
    List<String> joined = new ArrayList<>(List.of(owner.id().toString()));
    for (int i = 0; i < 4; i++) {
      joined.add(db.member(workspace, "viewer").id().toString());
    }
    Fixtures.Person viewer = db.member(workspace, "viewer");
    joined.add(viewer.id().toString());
    String token = viewer.token(workspace, "viewer");

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var request = given().auth().oauth2(token).queryParam("limit", 2);
      if (cursor != null) {
        request = request.queryParam("cursor", cursor);
      }
      JsonPath page =
          request
              .get("/api/v1/workspaces/current/members")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      seen.addAll(page.getList("items.userId"));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertThat(seen).isEqualTo(joined);
    assertThat(pages).isEqualTo(3);

    given()
        .auth()
        .oauth2(token)
        .get("/api/v1/workspaces/current/members")
        .then()
        .body("items", hasSize(6))
        .body("items[0].email", equalTo(owner.email()))
        .body("items[0].role", equalTo("owner"))
        .body("nextCursor", nullValue());
    for (String bad : List.of("limit=0", "limit=101", "cursor=garbage", "cursor=YQpi")) {
      given()
          .auth()
          .oauth2(token)
          .get("/api/v1/workspaces/current/members?" + bad)
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
  }

  @Test
  void theLastOwnerCanNeitherLeaveNorBeRemovedNorDemoted() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person owner = db.person();
    UUID workspace = db.workspace(owner, "One owner");
    Fixtures.Person admin = db.member(workspace, "admin");
    String ownerToken = owner.token(workspace, "owner");

    try (UserEvents events = new UserEvents()) {
      leave(ownerToken).statusCode(409).contentType("application/problem+json");
      remove(ownerToken, owner.id()).statusCode(409).contentType("application/problem+json");
      changeRole(ownerToken, owner.id(), "admin")
          .statusCode(409)
          .contentType("application/problem+json");
      // An admin may not remove or demote an owner at all.
      remove(admin.token(workspace, "admin"), owner.id()).statusCode(403);
      changeRole(admin.token(workspace, "admin"), owner.id(), "viewer").statusCode(403);
      assertThat(db.role(workspace, owner.id())).isEqualTo("owner");

      // With a second owner, the first may go.
      changeRole(ownerToken, admin.id(), "owner").statusCode(200).body("role", equalTo("owner"));
      leave(ownerToken).statusCode(204);
      assertThat(db.role(workspace, owner.id())).isNull();
      // ...and now the other one is the last.
      leave(admin.token(workspace, "owner")).statusCode(409);

      // The failed attempts emitted nothing: the workspace's first events are the two changes.
      List<UserEvents.Event> emitted =
          events.expect(workspace, UserEvents.MEMBER_ROLE_CHANGED, UserEvents.MEMBER_REMOVED);
      assertThat(emitted.get(0).membership())
          .isEqualTo(new MembershipChangedV1(workspace, admin.id(), "owner", "role_changed"));
      assertThat(emitted.get(1).membership())
          .isEqualTo(new MembershipChangedV1(workspace, owner.id(), "owner", "left"));
    }
  }

  @Test
  void ownersLeavingOrDemotingEachOtherAtOnceLeaveExactlyOneOwner() throws Exception {
    Fixtures db = new Fixtures(pool);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 5; round++) {
        // Both owners leave at the same moment.
        Fixtures.Person first = db.person();
        UUID workspace = db.workspace(first, "Race " + round);
        Fixtures.Person second = db.member(workspace, "owner");
        List<Integer> statuses =
            race(
                threads,
                () -> leave(first.token(workspace, "owner")).extract().statusCode(),
                () -> leave(second.token(workspace, "owner")).extract().statusCode());
        assertThat(statuses).containsExactlyInAnyOrder(204, 409);
        assertThat(owners(db, workspace)).isEqualTo(1);

        // Two owners demote each other at the same moment.
        Fixtures.Person third = db.person();
        UUID other = db.workspace(third, "Demotions " + round);
        Fixtures.Person fourth = db.member(other, "owner");
        statuses =
            race(
                threads,
                () ->
                    changeRole(third.token(other, "owner"), fourth.id(), "admin")
                        .extract()
                        .statusCode(),
                () ->
                    changeRole(fourth.token(other, "owner"), third.id(), "admin")
                        .extract()
                        .statusCode());
        // The second sees, under the workspace lock, that its caller is no longer an owner.
        assertThat(statuses).containsExactlyInAnyOrder(200, 403);
        assertThat(owners(db, other)).isEqualTo(1);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void adminsManageRolesBelowOwnerAndOnlyOwnersTouchOwners() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person owner = db.person();
    UUID workspace = db.workspace(owner, "Roles");
    Fixtures.Person admin = db.member(workspace, "admin");
    Fixtures.Person editor = db.member(workspace, "editor");
    Fixtures.Person viewer = db.member(workspace, "viewer");
    String adminToken = admin.token(workspace, "admin");

    changeRole(adminToken, viewer.id(), "editor")
        .statusCode(200)
        .body("userId", equalTo(viewer.id().toString()))
        .body("role", equalTo("editor"))
        .body("email", equalTo(viewer.email()));
    changeRole(adminToken, viewer.id(), "owner").statusCode(403);
    changeRole(editor.token(workspace, "editor"), viewer.id(), "viewer").statusCode(403);
    changeRole(adminToken, viewer.id(), "superuser")
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/role"));
    changeRole(adminToken, viewer.id(), null).statusCode(400);
    changeRole(adminToken, UUID.randomUUID(), "viewer").statusCode(404);
    given()
        .auth()
        .oauth2(adminToken)
        .contentType("application/json")
        .body(Map.of("role", "viewer"))
        .patch("/api/v1/workspaces/current/members/not-a-uuid")
        .then()
        .statusCode(404);
    assertThat(db.role(workspace, viewer.id())).isEqualTo("editor");

    // Someone demoted in the database cannot use the admin role their token still claims.
    changeRole(owner.token(workspace, "owner"), admin.id(), "editor").statusCode(200);
    changeRole(adminToken, viewer.id(), "viewer").statusCode(403);
    remove(adminToken, viewer.id()).statusCode(403);
    assertThat(db.role(workspace, viewer.id())).isEqualTo("editor");
    // An owner makes another owner; setting the same role again changes nothing.
    changeRole(owner.token(workspace, "owner"), editor.id(), "owner").statusCode(200);
    changeRole(owner.token(workspace, "owner"), editor.id(), "owner").statusCode(200);
    assertThat(owners(db, workspace)).isEqualTo(2);
  }

  @Test
  void removingOrLeavingTakesPeopleOutOfTheWorkspaceAndItsTeamsAndIsAnnounced() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person owner = db.person();
    UUID workspace = db.workspace(owner, "Teams");
    Fixtures.Person removed = db.member(workspace, "editor");
    Fixtures.Person leaver = db.member(workspace, "viewer");
    String ownerToken = owner.token(workspace, "owner");
    String team =
        given()
            .auth()
            .oauth2(ownerToken)
            .contentType("application/json")
            .body(Map.of("name", "Everyone"))
            .post("/api/v1/teams")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    for (Fixtures.Person person : List.of(owner, removed, leaver)) {
      given()
          .auth()
          .oauth2(ownerToken)
          .put("/api/v1/teams/" + team + "/members/" + person.id())
          .then()
          .statusCode(204);
    }

    try (UserEvents events = new UserEvents();
        TopicWatcher audit = TopicWatcher.watch(Topic.AUDIT_LOG.topicName())) {
      remove(ownerToken, removed.id()).statusCode(204);
      leave(leaver.token(workspace, "viewer")).statusCode(204);
      remove(ownerToken, removed.id()).statusCode(404);

      // audit.log says who did it: the owner removed one, the other left by themselves
      AuditRecordedV1 removal = auditBy(audit, owner.id());
      assertThat(removal.action()).isEqualTo("member.removed");
      assertThat(removal.resourceId()).isEqualTo(removed.id().toString());
      assertThat(removal.details()).containsEntry("reason", "removed");
      AuditRecordedV1 leaving = auditBy(audit, leaver.id());
      assertThat(leaving.action()).isEqualTo("member.removed");
      assertThat(leaving.actorId()).isEqualTo(leaver.id().toString());
      assertThat(leaving.details()).containsEntry("reason", "left");

      given()
          .auth()
          .oauth2(ownerToken)
          .get("/api/v1/teams/" + team)
          .then()
          .statusCode(200)
          .body("members.userId", org.hamcrest.Matchers.contains(owner.id().toString()));
      List<UserEvents.Event> emitted =
          events.expect(workspace, UserEvents.MEMBER_REMOVED, UserEvents.MEMBER_REMOVED);
      assertThat(emitted.get(0).membership())
          .isEqualTo(new MembershipChangedV1(workspace, removed.id(), "editor", "removed"));
      assertThat(emitted.get(1).membership())
          .isEqualTo(new MembershipChangedV1(workspace, leaver.id(), "viewer", "left"));
    }
    // Their tokens are still valid for a while, but the workspace no longer exists for them.
    given()
        .auth()
        .oauth2(leaver.token(workspace, "viewer"))
        .get("/api/v1/workspaces/current/members")
        .then()
        .statusCode(404);
    leave(removed.token(workspace, "editor")).statusCode(404);
  }

  /** The next audit record of {@code actor}. */
  private static AuditRecordedV1 auditBy(TopicWatcher audit, UUID actor) {
    return EventCodec.read(
        AuditRecordedV1.class,
        audit
            .first(
                CloudEventHeaders.TYPE,
                EventTypes.AUDIT_RECORDED_V1.cloudEventType(),
                CloudEventHeaders.SUBJECT,
                actor.toString(),
                Duration.ofSeconds(30))
            .value());
  }

  private static long owners(Fixtures db, UUID workspace) {
    return db.count(
        "SELECT count(*) FROM membership WHERE workspace_id = $1 AND role = 'owner'", workspace);
  }

  /** Runs both calls at once (as far as two threads and a latch allow). */
  private static List<Integer> race(
      ExecutorService threads, Callable<Integer> one, Callable<Integer> two) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    Future<Integer> a = threads.submit(() -> awaitThen(start, one));
    Future<Integer> b = threads.submit(() -> awaitThen(start, two));
    start.countDown();
    return List.of(a.get(), b.get());
  }

  private static Integer awaitThen(CountDownLatch start, Callable<Integer> call) throws Exception {
    start.await();
    return call.call();
  }

  private static ValidatableResponse leave(String token) {
    return given().auth().oauth2(token).post("/api/v1/workspaces/current/leave").then();
  }

  private static ValidatableResponse remove(String token, UUID userId) {
    return given()
        .auth()
        .oauth2(token)
        .delete("/api/v1/workspaces/current/members/" + userId)
        .then();
  }

  private static ValidatableResponse changeRole(String token, UUID userId, String role) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("role", role);
    return given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(body)
        .patch("/api/v1/workspaces/current/members/" + userId)
        .then();
  }
}
