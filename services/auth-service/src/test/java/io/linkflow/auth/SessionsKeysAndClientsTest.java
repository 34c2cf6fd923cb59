package io.linkflow.auth;

import static io.linkflow.auth.TestAccounts.WAIT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.nimbusds.jwt.SignedJWT;
import io.linkflow.auth.TestAccounts.Person;
import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Sessions, workspace switching, memberships from user.events, API keys (accepted as X-API-Key) and
 * service tokens, on real PostgreSQL, Kafka and Redis.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_auth", testIssuer = false)
class SessionsKeysAndClientsTest {

  // ---- sessions ----------------------------------------------------------------------------

  @Test
  void aPersonSeesTheirSessionsAndCanEndOne() {
    Person first = TestAccounts.signUp();
    String email = email(first);
    Person second = first.withTokens(logIn(email));

    given()
        .auth()
        .oauth2(second.accessToken())
        .header("User-Agent", "laptop")
        .get("/api/v1/auth/sessions")
        .then()
        .statusCode(200)
        .body("items", hasSize(2))
        .body("items.find { it.current }.userAgent", not(nullValue()));

    String other =
        given()
            .auth()
            .oauth2(second.accessToken())
            .get("/api/v1/auth/sessions")
            .then()
            .extract()
            .path("items.find { !it.current }.id");
    given()
        .auth()
        .oauth2(second.accessToken())
        .delete("/api/v1/auth/sessions/" + other)
        .then()
        .statusCode(204);

    refresh(first.refreshToken()).then().statusCode(401);
    refresh(second.refreshToken()).then().statusCode(200);
    given()
        .auth()
        .oauth2(second.accessToken())
        .get("/api/v1/auth/sessions")
        .then()
        .body("items", hasSize(1));
  }

  @Test
  void nobodyCanSeeOrEndAnotherPersonsSession() {
    Person ada = TestAccounts.signUp();
    Person bob = TestAccounts.signUp();
    String adaSession =
        given()
            .auth()
            .oauth2(ada.accessToken())
            .get("/api/v1/auth/sessions")
            .then()
            .extract()
            .path("items[0].id");

    given()
        .auth()
        .oauth2(bob.accessToken())
        .get("/api/v1/auth/sessions")
        .then()
        .body("items.id", not(org.hamcrest.Matchers.hasItem(adaSession)));
    given()
        .auth()
        .oauth2(bob.accessToken())
        .delete("/api/v1/auth/sessions/" + adaSession)
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    refresh(ada.refreshToken()).then().statusCode(200);
  }

  @Test
  void sessionsNeedAToken() {
    given().get("/api/v1/auth/sessions").then().statusCode(401);
  }

  // ---- workspaces and memberships ----------------------------------------------------------

  @Test
  void switchingWorkspaceGivesATokenWithTheRoleThere() throws Exception {
    Person ada = TestAccounts.signUp();
    UUID team = UUID.randomUUID();
    TestAccounts.added(ada, team, "editor");

    Person inTeam = TestAccounts.switchTo(ada, team);

    var claims = SignedJWT.parse(inTeam.accessToken()).getJWTClaimsSet();
    assertThat(claims.getStringClaim("wid")).isEqualTo(team.toString());
    assertThat(claims.getStringListClaim("groups")).containsExactly("editor");
    // refreshing keeps the chosen workspace
    String refreshed =
        refresh(inTeam.refreshToken()).then().statusCode(200).extract().path("accessToken");
    assertThat(SignedJWT.parse(refreshed).getJWTClaimsSet().getStringClaim("wid"))
        .isEqualTo(team.toString());
  }

  @Test
  void switchingToAWorkspaceYouDoNotBelongToIs404AndTheTokenStaysUsable() {
    Person ada = TestAccounts.signUp();
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("refreshToken", ada.refreshToken(), "workspaceId", UUID.randomUUID()))
        .post("/api/v1/auth/switch-workspace")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    refresh(ada.refreshToken()).then().statusCode(200);
  }

  @Test
  void aRoleChangeReachesTheNextToken() throws Exception {
    Person ada = TestAccounts.signUp();
    UUID team = UUID.randomUUID();
    TestAccounts.added(ada, team, "viewer");
    Person inTeam = TestAccounts.switchTo(ada, team);
    TestAccounts.membership(
        EventTypes.MEMBER_ROLE_CHANGED_V1, ada.id(), team, "admin", "role_changed");

    long deadline = System.nanoTime() + WAIT.toNanos();
    String refreshToken = inTeam.refreshToken();
    while (true) {
      var tokens = refresh(refreshToken).then().statusCode(200).extract().jsonPath();
      refreshToken = tokens.getString("refreshToken");
      List<String> groups =
          SignedJWT.parse(tokens.getString("accessToken"))
              .getJWTClaimsSet()
              .getStringListClaim("groups");
      if (groups.contains("admin")) {
        return;
      }
      assertThat(System.nanoTime()).as("role change applied in time").isLessThan(deadline);
      TestAccounts.pause();
    }
  }

  @Test
  void aRemovedMemberLosesTheirSessionsAndKeysInThatWorkspace() {
    Person ada = TestAccounts.signUp();
    UUID team = UUID.randomUUID();
    TestAccounts.added(ada, team, "editor");
    Person inTeam = TestAccounts.switchTo(ada, team);
    Response created = createKey(inTeam, List.of("workspace:read"));
    String key = created.path("key");
    String keyId = created.path("id");

    try (TopicWatcher auth = TopicWatcher.watch(Topic.AUTH_EVENTS.topicName());
        TopicWatcher keys = TopicWatcher.watch(Topic.AUTH_EVENTS.topicName())) {
      TestAccounts.membership(EventTypes.MEMBER_REMOVED_V1, ada.id(), team, "editor", "removed");

      ConsumerRecord<String, byte[]> revoked =
          auth.first(
              CloudEventHeaders.TYPE,
              EventTypes.TOKEN_REVOKED_V1.cloudEventType(),
              CloudEventHeaders.SUBJECT,
              ada.id().toString(),
              WAIT);
      assertThat(TopicWatcher.header(revoked, CloudEventHeaders.WORKSPACE_ID))
          .isEqualTo(team.toString());
      keys.first(
          CloudEventHeaders.TYPE,
          EventTypes.API_KEY_REVOKED_V1.cloudEventType(),
          CloudEventHeaders.SUBJECT,
          keyId,
          WAIT);
    }
    refresh(inTeam.refreshToken()).then().statusCode(401);
    exchange(key).then().statusCode(401);
  }

  // ---- API keys ----------------------------------------------------------------------------

  @Test
  void anApiKeyIsShownOnceAndWorksAsXApiKeyWithinItsScopes() {
    Person ada = TestAccounts.signUp();
    Response created;
    try (TopicWatcher auth = TopicWatcher.watch(Topic.AUTH_EVENTS.topicName())) {
      created = createKey(ada, List.of("workspace:read"));
      created
          .then()
          .statusCode(201)
          .body("key", startsWith("lf_"))
          .body("role", equalTo("admin"))
          .body("scopes", equalTo(List.of("workspace:read")));
      ConsumerRecord<String, byte[]> event =
          auth.first(
              CloudEventHeaders.TYPE,
              EventTypes.API_KEY_CREATED_V1.cloudEventType(),
              CloudEventHeaders.SUBJECT,
              created.path("id"),
              WAIT);
      assertThat(new String(event.value(), StandardCharsets.UTF_8))
          .doesNotContain((String) created.path("key"));
    }
    String key = created.path("key");

    given()
        .auth()
        .oauth2(ada.accessToken())
        .get("/api/v1/auth/api-keys")
        .then()
        .statusCode(200)
        .body("items", hasSize(1))
        .body("items[0].prefix", equalTo(key.substring(0, 9)))
        .body("items[0].key", nullValue());

    // every service accepts the key: here auth-service's own protected endpoints
    given().header("X-API-Key", key).get("/api/v1/auth/api-keys").then().statusCode(200);
    // but only within its scopes: creating keys needs a person
    given()
        .header("X-API-Key", key)
        .contentType(ContentType.JSON)
        .body(Map.of("name", "escalate", "scopes", List.of("workflows:write")))
        .post("/api/v1/auth/api-keys")
        .then()
        .statusCode(403);
    given().header("X-API-Key", "lf_not-a-key").get("/api/v1/auth/api-keys").then().statusCode(401);
  }

  @Test
  void aRevokedKeyStopsWorking() {
    Person ada = TestAccounts.signUp();
    Response created = createKey(ada, List.of("workspace:read"));
    String key = created.path("key");
    given().header("X-API-Key", key).get("/api/v1/auth/api-keys").then().statusCode(200);

    given()
        .auth()
        .oauth2(ada.accessToken())
        .delete("/api/v1/auth/api-keys/" + created.path("id"))
        .then()
        .statusCode(204);

    exchange(key).then().statusCode(401);
    // services may reuse an exchange for linkflow.security.api-key-cache-ttl (1 s in tests)
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (given().header("X-API-Key", key).get("/api/v1/auth/api-keys").statusCode() != 401) {
      assertThat(System.nanoTime()).as("revocation reached the service").isLessThan(deadline);
      TestAccounts.pause();
    }
  }

  @Test
  void anExchangedTokenActsForTheCreatorWithTheKeysRoleAndScopes() throws Exception {
    Person ada = TestAccounts.signUp();
    Response created =
        given()
            .auth()
            .oauth2(ada.accessToken())
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "name",
                    "ci",
                    "scopes",
                    List.of("workflows:write", "executions:read"),
                    "role",
                    "viewer",
                    "expiresInDays",
                    7))
            .post("/api/v1/auth/api-keys");
    created.then().statusCode(201);
    var claims =
        SignedJWT.parse(
                exchange(created.path("key")).then().statusCode(200).extract().path("accessToken"))
            .getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo(ada.id().toString());
    assertThat(claims.getStringClaim("wid")).isEqualTo(ada.workspace().toString());
    assertThat(claims.getStringListClaim("groups")).containsExactly("viewer");
    assertThat(claims.getStringClaim("scope")).isEqualTo("workflows:write executions:read");
    assertThat(claims.getStringClaim("akid")).isEqualTo(created.path("id"));
  }

  @Test
  void badKeyRequestsAre400AndNothingIsCreated() {
    Person ada = TestAccounts.signUp();
    given()
        .auth()
        .oauth2(ada.accessToken())
        .contentType(ContentType.JSON)
        .body(Map.of("name", "x", "scopes", List.of("workflows:read", "everything")))
        .post("/api/v1/auth/api-keys")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors[0].pointer", equalTo("/scopes/1"));
    given()
        .auth()
        .oauth2(ada.accessToken())
        .contentType(ContentType.JSON)
        .body(Map.of("name", "x", "scopes", List.of("workflows:read"), "expiresInDays", 9999))
        .post("/api/v1/auth/api-keys")
        .then()
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/expiresInDays"));
    given()
        .auth()
        .oauth2(ada.accessToken())
        .contentType(ContentType.JSON)
        .body(Map.of("name", "x", "scopes", List.of("workflows:read"), "role", "owner"))
        .post("/api/v1/auth/api-keys")
        .then()
        .statusCode(400);
    given()
        .auth()
        .oauth2(ada.accessToken())
        .get("/api/v1/auth/api-keys")
        .then()
        .body("items", hasSize(0));
  }

  @Test
  void keysCannotOutrankTheirCreatorAndViewersCannotCreateThem() {
    Person ada = TestAccounts.signUp();
    UUID team = UUID.randomUUID();
    TestAccounts.added(ada, team, "editor");
    Person editor = TestAccounts.switchTo(ada, team);
    given()
        .auth()
        .oauth2(editor.accessToken())
        .contentType(ContentType.JSON)
        .body(Map.of("name", "x", "scopes", List.of("workflows:read"), "role", "admin"))
        .post("/api/v1/auth/api-keys")
        .then()
        .statusCode(403);

    UUID other = UUID.randomUUID();
    TestAccounts.added(ada, other, "viewer");
    Person viewer = TestAccounts.switchTo(editor, other);
    createKey(viewer, List.of("workflows:read")).then().statusCode(403);
  }

  @Test
  void anotherWorkspaceCanNeitherSeeNorRevokeAKey() {
    Person ada = TestAccounts.signUp();
    Person bob = TestAccounts.signUp();
    Response created = createKey(ada, List.of("workspace:read"));

    given()
        .auth()
        .oauth2(bob.accessToken())
        .get("/api/v1/auth/api-keys")
        .then()
        .statusCode(200)
        .body("items", hasSize(0));
    given()
        .auth()
        .oauth2(bob.accessToken())
        .delete("/api/v1/auth/api-keys/" + created.path("id"))
        .then()
        .statusCode(404);
    exchange(created.path("key")).then().statusCode(200);
  }

  // ---- service tokens and key rotation -----------------------------------------------------

  @Test
  void aServiceGetsAScopedTokenWithClientCredentials() throws Exception {
    String token =
        given()
            .formParam("grant_type", "client_credentials")
            .formParam("client_id", "executor")
            .formParam("client_secret", "test-executor-secret")
            .post("/api/v1/auth/token")
            .then()
            .statusCode(200)
            .body("token_type", equalTo("Bearer"))
            .body("scope", equalTo("credentials:decrypt variable-values:read"))
            .extract()
            .path("access_token");
    var claims = SignedJWT.parse(token).getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("service:executor");
    assertThat(claims.getClaim("wid")).isNull();
    // a service token is not a person: person-only endpoints refuse it
    given().auth().oauth2(token).get("/api/v1/auth/sessions").then().statusCode(403);

    String basic =
        Base64.getEncoder()
            .encodeToString("executor:test-executor-secret".getBytes(StandardCharsets.UTF_8));
    given()
        .header("Authorization", "Basic " + basic)
        .formParam("grant_type", "client_credentials")
        .post("/api/v1/auth/token")
        .then()
        .statusCode(200);
  }

  @Test
  void wrongClientSecretsAndScopesAreRefused() {
    given()
        .formParam("grant_type", "client_credentials")
        .formParam("client_id", "executor")
        .formParam("client_secret", "guess")
        .post("/api/v1/auth/token")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    given()
        .formParam("grant_type", "client_credentials")
        .formParam("client_id", "executor")
        .formParam("client_secret", "test-executor-secret")
        .formParam("scope", "signing-keys:rotate")
        .post("/api/v1/auth/token")
        .then()
        .statusCode(400);
    given().formParam("grant_type", "password").post("/api/v1/auth/token").then().statusCode(400);
  }

  @Test
  void theOperatorRotatesKeysAndEarlierTokensStillVerify() throws Exception {
    Person ada = TestAccounts.signUp();
    String oldKid = SignedJWT.parse(ada.accessToken()).getHeader().getKeyID();
    String operator =
        given()
            .formParam("grant_type", "client_credentials")
            .formParam("client_id", "operator")
            .formParam("client_secret", "test-operator-secret")
            .post("/api/v1/auth/token")
            .then()
            .statusCode(200)
            .extract()
            .path("access_token");
    given()
        .auth()
        .oauth2(ada.accessToken())
        .post("/api/v1/auth/signing-keys/rotate")
        .then()
        .statusCode(403);

    String newKid =
        given()
            .auth()
            .oauth2(operator)
            .post("/api/v1/auth/signing-keys/rotate")
            .then()
            .statusCode(200)
            .extract()
            .path("kid");
    // published at once, before it signs
    given()
        .get("/api/v1/auth/jwks")
        .then()
        .body("keys.kid", org.hamcrest.Matchers.hasItems(oldKid, newKid));

    long deadline = System.nanoTime() + WAIT.toNanos();
    Person next;
    do {
      assertThat(System.nanoTime()).as("the new key signs after the lead").isLessThan(deadline);
      TestAccounts.pause();
      next = ada.withTokens(logIn(email(ada)));
    } while (!newKid.equals(SignedJWT.parse(next.accessToken()).getHeader().getKeyID()));

    given().auth().oauth2(ada.accessToken()).get("/api/v1/auth/sessions").then().statusCode(200);
    given().auth().oauth2(next.accessToken()).get("/api/v1/auth/sessions").then().statusCode(200);
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static Response createKey(Person person, List<String> scopes) {
    return given()
        .auth()
        .oauth2(person.accessToken())
        .contentType(ContentType.JSON)
        .body(Map.of("name", "deploys", "scopes", scopes))
        .post("/api/v1/auth/api-keys");
  }

  private static Response exchange(String key) {
    return given().header("X-API-Key", key).post("/api/v1/auth/api-keys/token");
  }

  private static Response refresh(String refreshToken) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("refreshToken", refreshToken))
        .post("/api/v1/auth/refresh");
  }

  private static io.restassured.path.json.JsonPath logIn(String email) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", TestAccounts.PASSWORD))
        .post("/api/v1/auth/login")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** The e-mail of an account created by {@link TestAccounts#signUp()}. */
  private String email(Person person) {
    return pool.preparedQuery("SELECT email FROM account WHERE id = $1")
        .execute(io.vertx.mutiny.sqlclient.Tuple.of(person.id()))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getString("email");
  }

  @jakarta.inject.Inject io.vertx.mutiny.sqlclient.Pool pool;
}
