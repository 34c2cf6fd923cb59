package io.linkflow.user;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import io.linkflow.events.payload.MembershipChangedV1;
import io.linkflow.testing.RealInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Invitations: an admin invites an address with a role, the person with that address accepts or
 * declines, once. Used, declined, revoked or expired secrets answer 410; unknown secrets and
 * secrets addressed to someone else 404.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_user", redis = false)
class InvitationApiTest {

  @Inject Pool pool;

  @Test
  void anInviteeAcceptsOnceAndBecomesAMemberWithTheInvitedRole() throws Exception {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person owner = db.person();
    String workspaceName = "Invites " + UUID.randomUUID();
    UUID workspace = db.workspace(owner, workspaceName);
    String address = "invitee-" + UUID.randomUUID() + "@example.com";
    Fixtures.Person invitee = db.person(address);
    String ownerToken = owner.token(workspace, "owner");

    var created =
        invite(ownerToken, address.toUpperCase(), "editor")
            .statusCode(201)
            .body("email", equalTo(address.toUpperCase()))
            .body("role", equalTo("editor"))
            .extract();
    String token = created.path("token");
    String id = created.path("id");
    assertThat(token).matches("[A-Za-z0-9_-]{43}");
    Instant expiresAt = Instant.parse(created.path("expiresAt"));
    assertThat(Duration.between(Instant.now(), expiresAt))
        .isBetween(Duration.ofDays(7).minusMinutes(1), Duration.ofDays(7));
    // Only the SHA-256 of the secret is stored.
    String stored =
        db.rows("SELECT token_hash FROM invitation WHERE id = $1", UUID.fromString(id))
            .get(0)
            .getString("token_hash");
    assertThat(stored).isNotEqualTo(token).isEqualTo(sha256(token));

    // The admins' list shows it without the secret.
    given()
        .auth()
        .oauth2(ownerToken)
        .get("/api/v1/workspaces/current/invitations")
        .then()
        .statusCode(200)
        .body("items.id", contains(id))
        .body("items[0].token", org.hamcrest.Matchers.nullValue())
        .body("items[0].invitedBy", equalTo(owner.id().toString()));
    // The invitee sees it (addresses match whatever their case), with the workspace's name.
    String inviteeToken = invitee.token(invitee.personalWorkspace(), "owner");
    given()
        .auth()
        .oauth2(inviteeToken)
        .get("/api/v1/users/me/invitations")
        .then()
        .statusCode(200)
        .body("items.id", contains(id))
        .body("items[0].workspaceName", equalTo(workspaceName))
        .body("items[0].role", equalTo("editor"))
        .body("items[0].token", org.hamcrest.Matchers.nullValue());

    try (UserEvents events = new UserEvents()) {
      answer(inviteeToken, "accept", token)
          .statusCode(200)
          .body("id", equalTo(workspace.toString()))
          .body("name", equalTo(workspaceName))
          .body("role", equalTo("editor"));
      assertThat(db.role(workspace, invitee.id())).isEqualTo("editor");
      UserEvents.Event added = events.expect(workspace, UserEvents.MEMBER_ADDED).get(0);
      assertThat(added.membership())
          .isEqualTo(
              new MembershipChangedV1(workspace, invitee.id(), "editor", "invitation_accepted"));
    }
    // Single use.
    answer(inviteeToken, "accept", token).statusCode(410).contentType("application/problem+json");
    answer(inviteeToken, "decline", token).statusCode(410);
    given()
        .auth()
        .oauth2(inviteeToken)
        .get("/api/v1/users/me/invitations")
        .then()
        .body("items", empty());
    given()
        .auth()
        .oauth2(inviteeToken)
        .get("/api/v1/users/me/workspaces")
        .then()
        .body("items.id", hasItems(workspace.toString()));
  }

  @Test
  void aSecretOnlyWorksForTheAddressItWasSentTo() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person owner = db.person();
    UUID workspace = db.workspace(owner, "Addressed");
    String address = "right-" + UUID.randomUUID() + "@example.com";
    Fixtures.Person invitee = db.person(address);
    Fixtures.Person stranger = db.person();
    String token =
        invite(owner.token(workspace, "owner"), address, "viewer")
            .statusCode(201)
            .extract()
            .path("token");

    String strangerToken = stranger.token(stranger.personalWorkspace(), "owner");
    answer(strangerToken, "accept", token).statusCode(404).contentType("application/problem+json");
    answer(strangerToken, "decline", token).statusCode(404);
    answer(strangerToken, "accept", "no-such-token").statusCode(404);
    answer(strangerToken, "accept", " ")
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/token"));
    assertThat(db.role(workspace, stranger.id())).isNull();
    // Still pending for the right person.
    answer(invitee.token(invitee.personalWorkspace(), "owner"), "accept", token).statusCode(200);
  }

  @Test
  void declinedRevokedAndExpiredInvitationsCannotBeUsed() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person owner = db.person();
    UUID workspace = db.workspace(owner, "Lifecycle");
    Fixtures.Person admin = db.member(workspace, "admin");
    String adminToken = admin.token(workspace, "admin");
    String address = "cycle-" + UUID.randomUUID() + "@example.com";
    Fixtures.Person invitee = db.person(address);
    String inviteeToken = invitee.token(invitee.personalWorkspace(), "owner");

    // Declined: the secret is spent.
    String declined = invite(adminToken, address, "viewer").statusCode(201).extract().path("token");
    answer(inviteeToken, "decline", declined).statusCode(204);
    answer(inviteeToken, "accept", declined).statusCode(410);

    // Revoked by an admin: spent too, and gone from the list; revoking again is 404.
    var revoked = invite(adminToken, address, "viewer").statusCode(201).extract();
    given()
        .auth()
        .oauth2(adminToken)
        .delete("/api/v1/workspaces/current/invitations/" + revoked.path("id"))
        .then()
        .statusCode(204);
    answer(inviteeToken, "accept", revoked.path("token")).statusCode(410);
    given()
        .auth()
        .oauth2(adminToken)
        .get("/api/v1/workspaces/current/invitations")
        .then()
        .body("items", empty());
    given()
        .auth()
        .oauth2(adminToken)
        .delete("/api/v1/workspaces/current/invitations/" + revoked.path("id"))
        .then()
        .statusCode(404);

    // Expired: not listed, not usable, and a new invitation to the address may replace it.
    var expired = invite(adminToken, address, "editor").statusCode(201).extract();
    db.update(
        "UPDATE invitation SET expires_at = now() - interval '1 second' WHERE id = $1",
        UUID.fromString(expired.path("id")));
    given()
        .auth()
        .oauth2(inviteeToken)
        .get("/api/v1/users/me/invitations")
        .then()
        .body("items", empty());
    answer(inviteeToken, "accept", expired.path("token")).statusCode(410);
    String fresh = invite(adminToken, address, "editor").statusCode(201).extract().path("token");
    answer(inviteeToken, "accept", fresh).statusCode(200);
    assertThat(db.role(workspace, invitee.id())).isEqualTo("editor");
  }

  @Test
  void inviteRulesRolesAndBadInputWriteNothing() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person owner = db.person();
    UUID workspace = db.workspace(owner, "Rules");
    Fixtures.Person admin = db.member(workspace, "admin");
    Fixtures.Person editor = db.member(workspace, "editor");
    String adminToken = admin.token(workspace, "admin");
    String address = "rules-" + UUID.randomUUID() + "@example.com";

    invite(editor.token(workspace, "editor"), address, "viewer")
        .statusCode(403)
        .contentType("application/problem+json");
    given()
        .auth()
        .oauth2(editor.token(workspace, "editor"))
        .get("/api/v1/workspaces/current/invitations")
        .then()
        .statusCode(403);
    invite(adminToken, address, "owner").statusCode(403);
    invite(adminToken, "not-an-email", "viewer")
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/email"));
    invite(adminToken, address, "boss").statusCode(400).body("errors[0].pointer", equalTo("/role"));
    invite(adminToken, "", null)
        .statusCode(400)
        .body("errors.pointer", contains("/email", "/role"));
    invite(adminToken, editor.email().toUpperCase(), "viewer")
        .statusCode(409)
        .contentType("application/problem+json");
    assertThat(db.count("SELECT count(*) FROM invitation WHERE workspace_id = $1", workspace))
        .isZero();

    invite(adminToken, address, "viewer").statusCode(201);
    invite(adminToken, address.toUpperCase(), "admin").statusCode(409);
    // An owner may invite an owner (to another address).
    invite(owner.token(workspace, "owner"), "co-" + address, "owner").statusCode(201);
    assertThat(db.count("SELECT count(*) FROM invitation WHERE workspace_id = $1", workspace))
        .isEqualTo(2);
  }

  @Test
  void acceptingWhenAlreadyAMemberIs409AndLeavesTheInvitationPending() {
    Fixtures db = new Fixtures(pool);
    Fixtures.Person owner = db.person();
    UUID workspace = db.workspace(owner, "Already");
    String address = "already-" + UUID.randomUUID() + "@example.com";
    Fixtures.Person invitee = db.person(address);
    String token =
        invite(owner.token(workspace, "owner"), address, "admin")
            .statusCode(201)
            .extract()
            .path("token");
    // They joined by another way in the meantime.
    db.join(workspace, invitee.id(), "viewer");

    answer(invitee.token(invitee.personalWorkspace(), "owner"), "accept", token)
        .statusCode(409)
        .contentType("application/problem+json");
    assertThat(db.role(workspace, invitee.id())).isEqualTo("viewer");
    assertThat(
            db.rows("SELECT status FROM invitation WHERE workspace_id = $1", workspace)
                .get(0)
                .getString("status"))
        .isEqualTo("pending");
    given()
        .auth()
        .oauth2(owner.token(workspace, "owner"))
        .get("/api/v1/workspaces/current/invitations")
        .then()
        .body("items", not(empty()));
  }

  private static ValidatableResponse invite(String token, String email, String role) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("email", email);
    body.put("role", role);
    return given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(body)
        .post("/api/v1/workspaces/current/invitations")
        .then();
  }

  private static ValidatableResponse answer(String token, String how, String secret) {
    return given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(Map.of("token", secret))
        .post("/api/v1/users/me/invitations/" + how)
        .then();
  }

  private static String sha256(String value) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
  }
}
