package io.linkflow.auth.oidc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.AuditRecordedV1;
import io.linkflow.events.payload.EmailVerifiedV1;
import io.linkflow.events.payload.SignedUpV1;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import io.restassured.http.Cookies;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Log-in with an external OpenID Connect provider ({@link FakeOidcProvider}), driving the browser's
 * redirects by hand, on real PostgreSQL, Kafka and Redis.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_auth", testIssuer = false)
@WithTestResource(FakeOidcProviderResource.class)
class OidcLoginTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PASSWORD = "correct horse 42 battery";

  @Inject Pool pool;

  @Test
  void aPasswordAccountLogsInThroughTheProviderWithTheSameVerifiedEmailAndItsTokenWorks() {
    String email = uniqueEmail();
    String accountId =
        given()
            .contentType("application/json")
            .body(Map.of("email", email, "password", PASSWORD))
            .post("/api/v1/auth/signup")
            .then()
            .statusCode(201)
            .extract()
            .path("accountId");

    try (TopicWatcher audit = TopicWatcher.watch(Topic.AUDIT_LOG.topicName())) {
      // The provider's address differs in case only: still the same person.
      JsonPath tokens =
          logInAtProvider(Map.of("login_hint", email.toUpperCase()))
              .callback()
              .then()
              .statusCode(200)
              .contentType("application/json")
              .body("tokenType", equalTo("Bearer"))
              .body("refreshToken", notNullValue())
              .extract()
              .jsonPath();

      assertThat(tokens.getString("accountId")).isEqualTo(accountId);
      assertThat(linkedAccount("sub-" + email)).isEqualTo(accountId);
      // LinkFlow's own bearer verification (the default tenant) accepts the access token.
      given()
          .auth()
          .oauth2(tokens.getString("accessToken"))
          .get("/api/v1/auth/sessions")
          .then()
          .statusCode(200)
          .body("items.size()", equalTo(2));

      AuditRecordedV1 login = lastAuditOf(audit, accountId);
      assertThat(login.action()).isEqualTo("user.login");
      assertThat(login.outcome()).isEqualTo("success");
      assertThat(login.details()).containsEntry("method", "oidc");
    }
    // The password still works too.
    given()
        .contentType("application/json")
        .body(Map.of("email", email, "password", PASSWORD))
        .header("X-Forwarded-For", randomClientAddress())
        .post("/api/v1/auth/login")
        .then()
        .statusCode(200)
        .body("accountId", equalTo(accountId));
  }

  @Test
  void aNewEmailSignsUpWithAPersonalWorkspaceAndTheNextLogInFollowsTheLink() {
    String email = uniqueEmail();
    JsonPath first;
    try (TopicWatcher events = TopicWatcher.watch(Topic.AUTH_EVENTS.topicName())) {
      first =
          logInAtProvider(Map.of("login_hint", email))
              .callback()
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      String accountId = first.getString("accountId");

      ConsumerRecord<String, byte[]> signedUp =
          awaitType(events, accountId, "io.linkflow.auth.signed_up.v1");
      SignedUpV1 payload = EventCodec.read(SignedUpV1.class, signedUp.value());
      assertThat(payload.email()).isEqualTo(email);
      assertThat(payload.accountId()).hasToString(accountId);
      assertThat(payload.workspaceId()).hasToString(first.getString("workspaceId"));
      // the provider vouched for the address: announced once, for user-service's profile
      EmailVerifiedV1 verified =
          EventCodec.read(
              EmailVerifiedV1.class,
              awaitType(events, accountId, "io.linkflow.auth.email_verified.v1").value());
      assertThat(verified.email()).isEqualTo(email);
      assertThat(verified.method()).isEqualTo("oidc");
    }
    UUID accountId = UUID.fromString(first.getString("accountId"));
    Row account =
        row("SELECT password_hash, personal_workspace_id FROM account WHERE id = $1", accountId);
    assertThat(account.getString("password_hash")).isNull();
    assertThat(account.getUUID("personal_workspace_id"))
        .hasToString(first.getString("workspaceId"));
    assertThat(
            row(
                    "SELECT role FROM membership WHERE account_id = $1 AND workspace_id = $2",
                    accountId,
                    account.getUUID("personal_workspace_id"))
                .getString("role"))
        .isEqualTo("owner");

    JsonPath second =
        logInAtProvider(Map.of("login_hint", email))
            .callback()
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(second.getString("accountId")).isEqualTo(first.getString("accountId"));
    assertThat(second.getString("workspaceId")).isEqualTo(first.getString("workspaceId"));
    assertThat(count("SELECT count(*) FROM external_identity WHERE account_id = $1", accountId))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM account WHERE email_normalized = lower($1)", email))
        .isEqualTo(1);
  }

  @Test
  void anUnverifiedOrMissingEmailIs403AndWritesNothing() {
    String email = uniqueEmail();
    logInAtProvider(Map.of("login_hint", email, "email_verified", "false"))
        .callback()
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("status", equalTo(403))
        .body("detail", containsString("verified e-mail address"));
    assertThat(count("SELECT count(*) FROM account WHERE email_normalized = lower($1)", email))
        .isZero();
    assertThat(count("SELECT count(*) FROM external_identity WHERE subject = $1", "sub-" + email))
        .isZero();

    String subject = "no-email-" + UUID.randomUUID();
    logInAtProvider(Map.of("sub", subject))
        .callback()
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    assertThat(count("SELECT count(*) FROM external_identity WHERE subject = $1", subject))
        .isZero();
  }

  @Test
  void theProviderSawAnS256ChallengeAndTheMatchingVerifierFromAnAuthenticatedClient() {
    Flow flow = logInAtProvider(Map.of("login_hint", uniqueEmail()));
    flow.callback().then().statusCode(200);

    FakeOidcProvider.AuthorizationRequest authorization =
        FakeOidcProvider.get().authorization(flow.state()).orElseThrow();
    assertThat(authorization.codeChallengeMethod()).isEqualTo("S256");
    // base64url of a SHA-256: 43 characters, no padding
    assertThat(authorization.codeChallenge()).matches("[A-Za-z0-9_-]{43}");
    assertThat(authorization.nonce()).isNotBlank();
    assertThat(authorization.redirectUri()).isEqualTo(FakeOidcProvider.REDIRECT_URI);
    assertThat(authorization.scope().split(" ")).contains("openid", "email", "profile");

    List<FakeOidcProvider.TokenRequest> exchanges =
        FakeOidcProvider.get().tokenRequests(authorization.code());
    assertThat(exchanges).hasSize(1);
    FakeOidcProvider.TokenRequest exchange = exchanges.get(0);
    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.clientAuthenticated()).isTrue();
    assertThat(exchange.verifierMatched()).isTrue();
    assertThat(FakeOidcProvider.s256(exchange.codeVerifier()))
        .isEqualTo(authorization.codeChallenge());
  }

  @Test
  void theProviderRefusesAWrongOrMissingVerifierAndAnAuthorizationWithoutPkce() {
    String verifier = "a-verifier-of-at-least-43-characters-" + UUID.randomUUID();
    String challenge = FakeOidcProvider.s256(verifier);

    tokenRequest(authorizeDirectly(challenge), "wrong-" + verifier, FakeOidcProvider.CLIENT_SECRET)
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_grant"));
    tokenRequest(authorizeDirectly(challenge), null, FakeOidcProvider.CLIENT_SECRET)
        .then()
        .statusCode(400)
        .body("error", equalTo("invalid_grant"));
    tokenRequest(authorizeDirectly(challenge), verifier, "not-the-secret")
        .then()
        .statusCode(401)
        .body("error", equalTo("invalid_client"));
    // The same request with the right verifier and secret succeeds, so the refusals above are
    // about the verifier and the secret.
    tokenRequest(authorizeDirectly(challenge), verifier, FakeOidcProvider.CLIENT_SECRET)
        .then()
        .statusCode(200)
        .body("id_token", notNullValue());

    // An authorization request without a code challenge gets no code.
    String location = authorizeLocation(null);
    assertThat(query(location)).containsEntry("error", "invalid_request").doesNotContainKey("code");
  }

  @Test
  void aRefusedCodeOrARefusalAtTheProviderEndsIn401ProblemJsonAndWritesNothing() {
    String email = uniqueEmail();
    Flow flow = logInAtProvider(Map.of("login_hint", email));
    String forged = flow.callbackUrl().replaceFirst("code=[^&]+", "code=forged-code");

    flow.browser()
        .get(forged)
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("status", equalTo(401));
    assertThat(FakeOidcProvider.get().tokenRequests("forged-code"))
        .singleElement()
        .satisfies(request -> assertThat(request.error()).isEqualTo("invalid_grant"));
    assertThat(count("SELECT count(*) FROM account WHERE email_normalized = lower($1)", email))
        .isZero();

    // The person refused at the provider, which says so instead of sending a code.
    Flow refused = logInAtProvider(Map.of("login_hint", email));
    refused
        .browser()
        .get(refused.callbackUrl().replaceFirst("code=[^&]+", "error=access_denied"))
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    assertThat(count("SELECT count(*) FROM account WHERE email_normalized = lower($1)", email))
        .isZero();
  }

  @Test
  void passwordLogInToAnAccountCreatedThroughTheProviderIs401() {
    String email = uniqueEmail();
    logInAtProvider(Map.of("login_hint", email)).callback().then().statusCode(200);

    given()
        .contentType("application/json")
        .body(Map.of("email", email, "password", PASSWORD))
        .header("X-Forwarded-For", randomClientAddress())
        .post("/api/v1/auth/login")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
  }

  @Test
  void theProviderSessionDoesNotOutliveTheTokenResponse() {
    Flow flow = logInAtProvider(Map.of("login_hint", uniqueEmail()));
    Response tokens = flow.callback();
    tokens.then().statusCode(200);

    // The response with the token pair expires quarkus-oidc's session cookie ...
    assertThat(tokens.getDetailedCookies().asList())
        .anySatisfy(
            cookie -> {
              assertThat(cookie.getName()).startsWith("q_session");
              assertThat(cookie.getMaxAge()).isZero();
            });
    assertThat(flow.browser().cookies().asList())
        .noneSatisfy(cookie -> assertThat(cookie.getName()).startsWith("q_session"));
    // ... so the browser, sending whatever it still has, is sent to the provider again.
    flow.browser()
        .get("/api/v1/auth/oidc/login")
        .then()
        .statusCode(302)
        .header("Location", startsWith(FakeOidcProvider.get().issuer() + "/authorize?"));
  }

  @Test
  void anAccountLinkedToAnotherIdentityAtTheProviderIsNotLinkedAgain() {
    String email = uniqueEmail();
    String accountId =
        logInAtProvider(Map.of("login_hint", email, "sub", "first-" + email))
            .callback()
            .then()
            .statusCode(200)
            .extract()
            .path("accountId");

    // The address now belongs to someone else at the provider.
    logInAtProvider(Map.of("login_hint", email, "sub", "second-" + email))
        .callback()
        .then()
        .statusCode(409)
        .contentType("application/problem+json");
    assertThat(linkedAccount("first-" + email)).isEqualTo(accountId);
    assertThat(
            count("SELECT count(*) FROM external_identity WHERE subject = $1", "second-" + email))
        .isZero();
  }

  // --- the browser's part of the code flow ---

  /** The cookies a browser holds for auth-service: set, replaced and expired by responses. */
  private static final class CookieJar {
    private final Map<String, Cookie> cookies = new LinkedHashMap<>();

    Response keep(Response response) {
      for (Cookie cookie : response.getDetailedCookies().asList()) {
        if (cookie.getMaxAge() == 0) {
          cookies.remove(cookie.getName());
        } else {
          cookies.put(cookie.getName(), cookie);
        }
      }
      return response;
    }

    Cookies cookies() {
      return new Cookies(new ArrayList<>(cookies.values()));
    }

    Response get(String url) {
      return keep(
          given().redirects().follow(false).urlEncodingEnabled(false).cookies(cookies()).get(url));
    }
  }

  /**
   * Where the provider sent the browser back to; {@link #callback()} follows that and
   * auth-service's redirect after the code exchange, and answers the last response (the token pair
   * or a problem).
   */
  private record Flow(String state, CookieJar browser, String callbackUrl) {

    Response callback() {
      Response exchanged = browser.get(callbackUrl);
      exchanged.then().statusCode(302);
      String next = exchanged.header("Location");
      // The code and state are gone from the address the browser ends at.
      assertThat(next).endsWith("/api/v1/auth/oidc/callback");
      return browser.get(next);
    }
  }

  /**
   * Opens the log-in endpoint, follows it to the provider and "logs in" there as the person {@code
   * person} describes (see {@link FakeOidcProvider}); answers where the provider sent the browser.
   */
  private static Flow logInAtProvider(Map<String, String> person) {
    CookieJar browser = new CookieJar();
    Response start = browser.get("/api/v1/auth/oidc/login");
    start.then().statusCode(302);
    String authorize = start.header("Location");
    assertThat(authorize).startsWith(FakeOidcProvider.get().issuer() + "/authorize?");

    StringBuilder atProvider = new StringBuilder(authorize);
    person.forEach(
        (name, value) ->
            atProvider
                .append('&')
                .append(name)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
    String callbackUrl =
        given()
            .redirects()
            .follow(false)
            .urlEncodingEnabled(false)
            .get(atProvider.toString())
            .then()
            .statusCode(302)
            .extract()
            .header("Location");
    assertThat(callbackUrl).startsWith(FakeOidcProvider.REDIRECT_URI + "?");
    return new Flow(query(authorize).get("state"), browser, callbackUrl);
  }

  private static Map<String, String> authorizeParams(String challenge) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("response_type", "code");
    params.put("client_id", FakeOidcProvider.CLIENT_ID);
    params.put("redirect_uri", FakeOidcProvider.REDIRECT_URI);
    params.put("scope", "openid email");
    params.put("state", UUID.randomUUID().toString());
    params.put("login_hint", uniqueEmail());
    if (challenge != null) {
      params.put("code_challenge", challenge);
      params.put("code_challenge_method", "S256");
    }
    return params;
  }

  /** A code for {@code challenge}, straight from the provider. */
  private static String authorizeDirectly(String challenge) {
    return query(authorizeLocation(challenge)).get("code");
  }

  /** Where the provider's /authorize redirects back to for {@code challenge} (null: none). */
  private static String authorizeLocation(String challenge) {
    return given()
        .redirects()
        .follow(false)
        .queryParams(authorizeParams(challenge))
        .get(FakeOidcProvider.get().issuer() + "/authorize")
        .then()
        .statusCode(302)
        .extract()
        .header("Location");
  }

  private static Response tokenRequest(String code, String verifier, String secret) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", FakeOidcProvider.REDIRECT_URI);
    if (verifier != null) {
      form.put("code_verifier", verifier);
    }
    return given()
        .auth()
        .preemptive()
        .basic(FakeOidcProvider.CLIENT_ID, secret)
        .formParams(form)
        .post(FakeOidcProvider.get().issuer() + "/token");
  }

  private static Map<String, String> query(String url) {
    Map<String, String> values = new LinkedHashMap<>();
    String raw = URI.create(url).getRawQuery();
    for (String pair : raw == null ? new String[0] : raw.split("&")) {
      int eq = pair.indexOf('=');
      values.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return values;
  }

  // --- what was written ---

  private static ConsumerRecord<String, byte[]> awaitType(
      TopicWatcher topic, String subject, String type) {
    return topic.first(CloudEventHeaders.TYPE, type, CloudEventHeaders.SUBJECT, subject, WAIT);
  }

  /** The last audit record about the account seen within a moment of the first. */
  private static AuditRecordedV1 lastAuditOf(TopicWatcher audit, String accountId) {
    List<ConsumerRecord<String, byte[]>> about = new ArrayList<>();
    about.add(audit.await(CloudEventHeaders.SUBJECT, accountId, WAIT));
    for (ConsumerRecord<String, byte[]> record : audit.poll(Duration.ofSeconds(2))) {
      if (accountId.equals(TopicWatcher.header(record, CloudEventHeaders.SUBJECT))) {
        about.add(record);
      }
    }
    return EventCodec.read(AuditRecordedV1.class, about.get(about.size() - 1).value());
  }

  private String linkedAccount(String subject) {
    Row row =
        row(
            "SELECT account_id FROM external_identity WHERE provider = $1 AND subject = $2",
            FakeOidcProvider.get().issuer(),
            subject);
    return row == null ? null : row.getUUID("account_id").toString();
  }

  private long count(String sql, Object... params) {
    return row(sql, params).getLong(0);
  }

  private Row row(String sql, Object... params) {
    var rows = pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(WAIT);
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  /** A client address of its own, so log-in throttling by address never interferes. */
  private static String randomClientAddress() {
    return "192.0.2." + (int) (Math.random() * 250 + 1);
  }

  private static String uniqueEmail() {
    return "grace-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }
}
