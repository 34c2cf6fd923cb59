package io.linkflow.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.linkflow.auth.keys.SigningKeyService;
import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.AuditRecordedV1;
import io.linkflow.events.payload.SignedUpV1;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Sign-up, log-in, refresh rotation, log-out and signing keys, on real PostgreSQL and Kafka. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_auth", testIssuer = false)
class AuthFlowTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PASSWORD = "correct horse 42 battery";

  @Inject Pool pool;
  @Inject SigningKeyService keys;

  @Test
  void signUpGivesATokenAnotherJwtLibraryVerifiesAgainstThePublishedJwks() throws Exception {
    String email = uniqueEmail();
    JsonPath tokens = signUp(email, PASSWORD).statusCode(201).extract().jsonPath();

    JWTClaimsSet claims = verifyWithNimbus(tokens.getString("accessToken"));
    assertThat(claims.getIssuer()).isEqualTo("http://localhost:8000/api/v1/auth");
    assertThat(claims.getAudience()).containsExactly("linkflow");
    assertThat(claims.getSubject()).isEqualTo(tokens.getString("accountId"));
    assertThat(claims.getStringClaim("wid")).isEqualTo(tokens.getString("workspaceId"));
    assertThat(claims.getStringListClaim("groups")).containsExactly("owner");
    assertThat(claims.getExpirationTime()).isAfter(new Date());
    assertThat(tokens.getString("tokenType")).isEqualTo("Bearer");
    assertThat(tokens.getLong("expiresIn")).isEqualTo(900);
  }

  @Test
  void signUpIsAnnouncedOnAuthEventsThroughTheOutbox() {
    String email = uniqueEmail();
    try (TopicWatcher topic = TopicWatcher.watch(Topic.AUTH_EVENTS.topicName())) {
      String accountId = signUp(email, PASSWORD).statusCode(201).extract().path("accountId");
      List<ConsumerRecord<String, byte[]>> seen =
          topic.until(CloudEventHeaders.SUBJECT, accountId, WAIT);
      ConsumerRecord<String, byte[]> signedUp = seen.get(seen.size() - 1);
      assertThat(TopicWatcher.header(signedUp, CloudEventHeaders.TYPE))
          .isEqualTo("io.linkflow.auth.signed_up.v1");
      SignedUpV1 payload = EventCodec.read(SignedUpV1.class, signedUp.value());
      assertThat(payload.email()).isEqualTo(email);
      assertThat(payload.accountId()).hasToString(accountId);
    }
  }

  @Test
  void aTakenEmailIs409WhateverItsCaseAndWritesNothing() {
    String email = uniqueEmail();
    signUp(email, PASSWORD).statusCode(201);
    signUp(email.toUpperCase(), PASSWORD)
        .statusCode(409)
        .contentType("application/problem+json")
        .body("status", equalTo(409));
    assertThat(accountsWithEmail(email)).isEqualTo(1);
  }

  @Test
  void aWeakPasswordIs400ListingEveryUnmetRule() {
    String email = uniqueEmail();
    signUp(email, "short")
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.message", hasItem("at least 12 characters"))
        .body("errors.message", hasItem("at least one digit or symbol"))
        .body("errors[0].pointer", equalTo("/password"));
    assertThat(accountsWithEmail(email)).isZero();
  }

  @Test
  void malformedEmailAndUnknownFieldsAre400() {
    signUp("not-an-email", PASSWORD).statusCode(400).body("errors[0].pointer", equalTo("/email"));
    given()
        .contentType("application/json")
        .body(Map.of("email", uniqueEmail(), "password", PASSWORD, "admin", true))
        .post("/api/v1/auth/signup")
        .then()
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/admin"));
  }

  @Test
  void logInChecksThePasswordAndAuditsBothOutcomes() {
    String email = uniqueEmail();
    String accountId = signUp(email, PASSWORD).statusCode(201).extract().path("accountId");
    try (TopicWatcher audit = TopicWatcher.watch(Topic.AUDIT_LOG.topicName())) {
      logIn(email, "wrong password 1234").statusCode(401).contentType("application/problem+json");
      logIn("nobody-" + email, PASSWORD).statusCode(401);
      logIn(email, PASSWORD).statusCode(200).body("accessToken", notNullValue());

      List<ConsumerRecord<String, byte[]>> seen =
          audit.until(CloudEventHeaders.SUBJECT, accountId, WAIT);
      AuditRecordedV1 first =
          EventCodec.read(AuditRecordedV1.class, seen.get(seen.size() - 1).value());
      assertThat(first.action()).isEqualTo("user.login");
      assertThat(first.outcome()).isEqualTo("failure");
      List<ConsumerRecord<String, byte[]>> more =
          audit.until(CloudEventHeaders.SUBJECT, accountId, WAIT);
      AuditRecordedV1 second =
          EventCodec.read(AuditRecordedV1.class, more.get(more.size() - 1).value());
      assertThat(second.outcome()).isEqualTo("success");
    }
  }

  @Test
  void repeatedFailuresLockTheAccountWith429AndRetryAfter() {
    String email = uniqueEmail();
    signUp(email, PASSWORD).statusCode(201);
    for (int attempt = 0; attempt < 5; attempt++) {
      logIn(email, "wrong password 1234", "198.51.100." + attempt).statusCode(401);
    }
    // Even the right password is refused now, from any address, until the window ends.
    logIn(email, PASSWORD, "198.51.100.99")
        .statusCode(429)
        .contentType("application/problem+json")
        .header("Retry-After", org.hamcrest.Matchers.matchesPattern("\\d+"));
    // Other accounts are unaffected.
    String other = uniqueEmail();
    signUp(other, PASSWORD).statusCode(201);
    logIn(other, PASSWORD, "198.51.100.99").statusCode(200);
  }

  @Test
  void repeatedFailuresFromOneAddressAreThrottledAcrossAccounts() {
    String ip = "203.0.113." + (int) (Math.random() * 200 + 1);
    for (int attempt = 0; attempt < 20; attempt++) {
      logIn("nobody-" + attempt + "-" + uniqueEmail(), PASSWORD, ip).statusCode(401);
    }
    String email = uniqueEmail();
    signUp(email, PASSWORD).statusCode(201);
    logIn(email, PASSWORD, ip).statusCode(429).header("Retry-After", notNullValue());
    logIn(email, PASSWORD, "192.0.2.1").statusCode(200);
  }

  @Test
  void reusingARefreshTokenRevokesTheWholeSession() {
    String email = uniqueEmail();
    String first = signUp(email, PASSWORD).statusCode(201).extract().path("refreshToken");

    String second = refresh(first).statusCode(200).extract().path("refreshToken");
    assertThat(second).isNotEqualTo(first);

    refresh(first).statusCode(401).contentType("application/problem+json");
    refresh(second).statusCode(401);
  }

  @Test
  void logOutEndsTheSession() {
    String token = signUp(uniqueEmail(), PASSWORD).statusCode(201).extract().path("refreshToken");
    given()
        .contentType("application/json")
        .body(Map.of("refreshToken", token))
        .post("/api/v1/auth/logout")
        .then()
        .statusCode(204);
    refresh(token).statusCode(401);
  }

  @Test
  void aTokenSignedBeforeARotationStillVerifiesUntilItExpires() throws Exception {
    String before = signUp(uniqueEmail(), PASSWORD).statusCode(201).extract().path("accessToken");
    String oldKid = SignedJWT.parse(before).getHeader().getKeyID();

    String newKid = keys.rotate().await().atMost(WAIT).kid();

    // the new key is published at once but signs only after the publish lead (2 s in tests)
    String after;
    long deadline = System.nanoTime() + WAIT.toNanos();
    do {
      assertThat(System.nanoTime()).as("the new key signs in time").isLessThan(deadline);
      Thread.sleep(200);
      after = signUp(uniqueEmail(), PASSWORD).statusCode(201).extract().path("accessToken");
    } while (!newKid.equals(SignedJWT.parse(after).getHeader().getKeyID()));
    assertThat(newKid).isNotEqualTo(oldKid);
    verifyWithNimbus(before);
    verifyWithNimbus(after);
  }

  @Test
  void discoveryPointsAtTheJwks() {
    given()
        .get("/api/v1/auth/.well-known/openid-configuration")
        .then()
        .statusCode(200)
        .body("issuer", equalTo("http://localhost:8000/api/v1/auth"))
        .body("jwks_uri", equalTo("http://localhost:8000/api/v1/auth/jwks"))
        .body("id_token_signing_alg_values_supported", hasItem("RS256"));
  }

  private JWTClaimsSet verifyWithNimbus(String token) throws Exception {
    SignedJWT jwt = SignedJWT.parse(token);
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    JWKSet jwks =
        JWKSet.parse(given().get("/api/v1/auth/jwks").then().statusCode(200).extract().asString());
    RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(key).as("kid %s is published", jwt.getHeader().getKeyID()).isNotNull();
    assertThat(key.isPrivate()).isFalse();
    assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
    return jwt.getJWTClaimsSet();
  }

  private long accountsWithEmail(String email) {
    return pool.preparedQuery("SELECT count(*) FROM account WHERE email_normalized = lower($1)")
        .execute(Tuple.of(email))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  private static String uniqueEmail() {
    return "ada-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  private static io.restassured.response.ValidatableResponse signUp(String email, String password) {
    return given()
        .contentType("application/json")
        .body(Map.of("email", email, "password", password))
        .post("/api/v1/auth/signup")
        .then();
  }

  private static io.restassured.response.ValidatableResponse logIn(String email, String password) {
    return logIn(email, password, "192.0.2." + (int) (Math.random() * 250 + 1));
  }

  private static io.restassured.response.ValidatableResponse logIn(
      String email, String password, String clientIp) {
    return given()
        .header("X-Forwarded-For", clientIp)
        .contentType("application/json")
        .body(Map.of("email", email, "password", password))
        .post("/api/v1/auth/login")
        .then();
  }

  private static io.restassured.response.ValidatableResponse refresh(String token) {
    return given()
        .contentType("application/json")
        .body(Map.of("refreshToken", token))
        .post("/api/v1/auth/refresh")
        .then();
  }
}
