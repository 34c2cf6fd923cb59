package io.linkflow.auth;

import static io.restassured.RestAssured.given;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.MembershipChangedV1;
import io.linkflow.testing.TestEvents;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Accounts and memberships for auth-service tests, through the public API and user.events. */
final class TestAccounts {

  static final String PASSWORD = "correct horse 42 battery";
  static final Duration WAIT = Duration.ofSeconds(30);

  /** A signed-up person and their current token pair. */
  record Person(UUID id, UUID workspace, String accessToken, String refreshToken) {
    Person withTokens(JsonPath tokens) {
      return new Person(
          id,
          UUID.fromString(tokens.getString("workspaceId")),
          tokens.getString("accessToken"),
          tokens.getString("refreshToken"));
    }
  }

  private TestAccounts() {}

  static Person signUp() {
    String email = "p-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    JsonPath tokens =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("email", email, "password", PASSWORD))
            .post("/api/v1/auth/signup")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    return new Person(
        UUID.fromString(tokens.getString("accountId")),
        UUID.fromString(tokens.getString("workspaceId")),
        tokens.getString("accessToken"),
        tokens.getString("refreshToken"));
  }

  /** Publishes a membership event as user-service does. */
  static void membership(
      io.linkflow.events.EventType<MembershipChangedV1> type,
      UUID user,
      UUID workspace,
      String role,
      String reason) {
    EventEnvelope event =
        EventCodec.envelope(
            type,
            "/services/user",
            workspace.toString(),
            workspace.toString(),
            new MembershipChangedV1(workspace, user, role, reason));
    TestEvents.publish(
        Topic.USER_EVENTS.topicName(),
        event.key(),
        event.data(),
        CloudEventHeaders.toHeaders(event));
  }

  static void added(Person person, UUID workspace, String role) {
    membership(EventTypes.MEMBER_ADDED_V1, person.id(), workspace, role, "invitation_accepted");
  }

  /** Switches the person's session to {@code workspace} once auth-service knows the membership. */
  static Person switchTo(Person person, UUID workspace) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      var response =
          given()
              .contentType(ContentType.JSON)
              .body(Map.of("refreshToken", person.refreshToken(), "workspaceId", workspace))
              .post("/api/v1/auth/switch-workspace");
      if (response.statusCode() == 200) {
        return person.withTokens(response.jsonPath());
      }
      if (response.statusCode() != 404 || System.nanoTime() > deadline) {
        throw new AssertionError(
            "switching to " + workspace + " gave " + response.statusCode() + response.asString());
      }
      pause();
    }
  }

  static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
