package io.linkflow.credential;

import static io.linkflow.credential.Api.WAIT;
import static io.linkflow.credential.Api.as;
import static io.linkflow.credential.Api.createdId;
import static io.linkflow.credential.Api.decrypt;
import static io.linkflow.credential.Api.executor;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.CredentialChangedV1;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connecting an OAuth2 (authorization code + PKCE) credential against a fake provider on a local
 * port, then refreshing its tokens before they expire, and what happens when the provider refuses.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_credential", redis = false)
class OAuth2FlowTest {

  static final String REDIRECT_URI = "http://localhost:8000/api/v1/credentials/oauth2/callback";

  @Inject TokenRefresher refresher;

  private final UUID workspace = UUID.randomUUID();
  private final UUID personId = UUID.randomUUID();
  private final String editor = TestIssuer.get().token(personId, workspace, "editor");
  private FakeOAuth2Provider provider;

  @BeforeEach
  void startProvider() throws Exception {
    provider = new FakeOAuth2Provider();
  }

  @AfterEach
  void stopProvider() {
    provider.close();
  }

  private String oauthCredential(String name) {
    return createdId(
        editor,
        name,
        "oauth2AuthorizationCode",
        Map.of(
            "authorizationUrl",
            provider.authorizationUrl(),
            "tokenUrl",
            provider.tokenUrl(),
            "clientId",
            FakeOAuth2Provider.CLIENT_ID,
            "clientSecret",
            FakeOAuth2Provider.CLIENT_SECRET,
            "scope",
            "repo read:user"));
  }

  /** POST authorize; answers the query parameters of the provider URL. */
  private Map<String, String> authorize(String id) {
    String url =
        as(editor)
            .post("/api/v1/credentials/" + id + "/oauth2/authorize")
            .then()
            .statusCode(200)
            .body("expiresAt", notNullValue())
            .extract()
            .path("authorizationUrl");
    assertThat(url).startsWith(provider.authorizationUrl() + "&");
    return FakeOAuth2Provider.parse(URI.create(url).getRawQuery());
  }

  private static Response callback(String code, String state) {
    return given()
        .queryParam("code", code)
        .queryParam("state", state)
        .get("/api/v1/credentials/oauth2/callback");
  }

  /** Authorizes and completes the callback as the browser would. */
  private void connect(String id) {
    Map<String, String> query = authorize(id);
    String code = provider.consent(query.get("code_challenge"), query.get("redirect_uri"));
    callback(code, query.get("state")).then().statusCode(200).body("status", equalTo("ready"));
  }

  @Test
  void aCredentialIsConnectedWithPkceAndItsTokensAreStoredSealed() {
    String id = oauthCredential("GitHub");
    as(editor)
        .get("/api/v1/credentials/" + id)
        .then()
        .body("status", equalTo("pending_authorization"))
        .body("statusReason", containsString("/oauth2/authorize"));
    decrypt(executor(), id, workspace)
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("pending_authorization"));

    Map<String, String> query = authorize(id);
    assertThat(query)
        .containsEntry("response_type", "code")
        .containsEntry("client_id", FakeOAuth2Provider.CLIENT_ID)
        .containsEntry("redirect_uri", REDIRECT_URI)
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("scope", "repo read:user")
        .containsEntry("prompt", "consent")
        .containsKeys("state", "code_challenge");
    assertThat(query.get("state")).hasSizeGreaterThanOrEqualTo(43);
    assertThat(query.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");

    try (TopicWatcher events = TopicWatcher.watch(Topic.CREDENTIAL_EVENTS.topicName())) {
      String code = provider.consent(query.get("code_challenge"), query.get("redirect_uri"));
      callback(code, query.get("state"))
          .then()
          .statusCode(200)
          .body("credentialId", equalTo(id))
          .body("status", equalTo("ready"));
      ConsumerRecord<String, byte[]> record =
          events.first(
              CloudEventHeaders.TYPE,
              EventTypes.CREDENTIAL_CONNECTED_V1.cloudEventType(),
              CloudEventHeaders.SUBJECT,
              id,
              WAIT);
      CredentialChangedV1 payload = EventCodec.read(CredentialChangedV1.class, record.value());
      assertThat(payload.status()).isEqualTo("ready");
      assertThat(payload.actor()).isEqualTo(personId.toString());
    }
    Map<String, String> exchange = provider.tokenRequests.get(0);
    assertThat(exchange)
        .containsEntry("grant_type", "authorization_code")
        .containsEntry("redirect_uri", REDIRECT_URI)
        .containsKey("code_verifier");
    assertThat(FakeOAuth2Provider.s256(exchange.get("code_verifier")))
        .isEqualTo(query.get("code_challenge"));

    as(editor)
        .get("/api/v1/credentials/" + id)
        .then()
        .body("status", equalTo("ready"))
        .body("data.expiresAt", notNullValue())
        .body("data", not(hasKey("accessToken")))
        .body("data", not(hasKey("refreshToken")))
        .body("secretFields", containsInAnyOrder("clientSecret", "accessToken", "refreshToken"));
    decrypt(executor(), id, workspace)
        .then()
        .statusCode(200)
        .body("accessToken", equalTo("access-1"))
        .body("data.accessToken", equalTo("access-1"))
        .body("data.refreshToken", containsString("refresh-1-"))
        .body("expiresAt", notNullValue());

    // the state is single use
    String again = provider.consent(query.get("code_challenge"), query.get("redirect_uri"));
    callback(again, query.get("state"))
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("already used"));
  }

  @Test
  void aTokenUrlOnAnInternalNetworkIsNeverCalled() {
    String id =
        createdId(
            editor,
            "Metadata grab",
            "oauth2AuthorizationCode",
            Map.of(
                "authorizationUrl",
                provider.authorizationUrl(),
                "tokenUrl",
                "http://169.254.169.254/latest/meta-data/token",
                "clientId",
                FakeOAuth2Provider.CLIENT_ID,
                "clientSecret",
                FakeOAuth2Provider.CLIENT_SECRET));
    Map<String, String> query = authorize(id);
    String code = provider.consent(query.get("code_challenge"), query.get("redirect_uri"));
    callback(code, query.get("state"))
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("internal address (169.254.169.254)"));
    as(editor)
        .get("/api/v1/credentials/" + id)
        .then()
        .body("status", equalTo("pending_authorization"));
  }

  @Test
  void deniedUnknownAndMissingStatesAre400AndADeniedStateIsSpent() {
    String id = oauthCredential("Denied");
    callback("any", "no-such-state").then().statusCode(400).contentType("application/problem+json");
    given().get("/api/v1/credentials/oauth2/callback").then().statusCode(400);

    Map<String, String> query = authorize(id);
    given()
        .queryParam("state", query.get("state"))
        .queryParam("error", "access_denied")
        .queryParam("error_description", "The user said no")
        .get("/api/v1/credentials/oauth2/callback")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("access_denied"));
    String code = provider.consent(query.get("code_challenge"), query.get("redirect_uri"));
    callback(code, query.get("state")).then().statusCode(400);

    // a verifier that does not match the challenge: the provider refuses the code
    Map<String, String> other = authorize(id);
    String wrongChallenge = provider.consent("not-the-challenge", other.get("redirect_uri"));
    callback(wrongChallenge, other.get("state"))
        .then()
        .statusCode(400)
        .body("detail", containsString("invalid_grant"));
    as(editor)
        .get("/api/v1/credentials/" + id)
        .then()
        .body("status", equalTo("pending_authorization"));

    // only oauth2AuthorizationCode credentials connect
    String basic =
        createdId(editor, "Basic", "httpBasicAuth", Map.of("user", "u", "password", "p"));
    as(editor).post("/api/v1/credentials/" + basic + "/oauth2/authorize").then().statusCode(400);
  }

  @Test
  void tokensAreRefreshedBeforeTheyExpireAndARefusedRefreshNeedsReconnecting() {
    String id = oauthCredential("Refreshing");
    connect(id);
    String firstRefresh =
        decrypt(executor(), id, workspace)
            .then()
            .statusCode(200)
            .extract()
            .path("data.refreshToken");

    // expires in 60 s, within the 5 min lead time: due
    assertThat(refresher.refreshDue().await().atMost(WAIT)).isGreaterThanOrEqualTo(1);
    Map<String, String> refresh = provider.tokenRequests.get(provider.tokenRequests.size() - 1);
    assertThat(refresh)
        .containsEntry("grant_type", "refresh_token")
        .containsEntry("refresh_token", firstRefresh)
        .containsEntry("client_id", FakeOAuth2Provider.CLIENT_ID);
    Response refreshed = decrypt(executor(), id, workspace);
    refreshed.then().statusCode(200);
    String accessToken = refreshed.path("accessToken");
    assertThat(accessToken).isNotEqualTo("access-1").startsWith("access-");
    assertThat((String) refreshed.path("data.refreshToken")).isNotEqualTo(firstRefresh);
    as(editor).get("/api/v1/credentials/" + id).then().body("status", equalTo("ready"));

    provider.revokeAll();
    try (TopicWatcher events = TopicWatcher.watch(Topic.CREDENTIAL_EVENTS.topicName())) {
      refresher.refreshDue().await().atMost(WAIT);
      ConsumerRecord<String, byte[]> record =
          events.first(
              CloudEventHeaders.TYPE,
              EventTypes.CREDENTIAL_REFRESH_FAILED_V1.cloudEventType(),
              CloudEventHeaders.SUBJECT,
              id,
              WAIT);
      CredentialChangedV1 payload = EventCodec.read(CredentialChangedV1.class, record.value());
      assertThat(payload.status()).isEqualTo("needs_reconnect");
      assertThat(payload.actor()).isEqualTo("credential-service");
    }
    as(editor)
        .get("/api/v1/credentials/" + id)
        .then()
        .body("status", equalTo("needs_reconnect"))
        .body("statusReason", containsString("invalid_grant"))
        .body("statusReason", containsString("reconnect"));
    decrypt(executor(), id, workspace)
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString("needs_reconnect"));

    // reconnecting makes it ready again
    connect(id);
    decrypt(executor(), id, workspace).then().statusCode(200);
  }
}
