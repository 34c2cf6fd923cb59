package io.linkflow.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The internal clients against fake services over real HTTP, with service tokens from the test
 * issuer's client-credentials grant.
 */
@QuarkusTest
@RealInfrastructure(postgres = false, kafka = false, redis = false)
@WithTestResource(FakeServices.class)
class ClientsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject CredentialsClient credentials;
  @Inject VariablesClient variables;

  private final String workspace = UUID.randomUUID().toString();
  private final String credential = UUID.randomUUID().toString();

  @BeforeEach
  void registerClient() {
    TestIssuer.get().registerClient("clients-test", "clients-test-secret", "credentials:decrypt");
  }

  @Test
  void decryptSendsTheWorkspaceAndExecutionWithAServiceTokenAndReadsTheFields() {
    FakeServices.reset(
        (request, count) ->
            new FakeServices.Answer(
                200,
                "{\"id\":\""
                    + credential
                    + "\",\"type\":\"oauth2AuthorizationCode\",\"name\":\"Google\","
                    + "\"data\":{\"clientId\":\"abc\",\"accessToken\":\"at-1\"},"
                    + "\"accessToken\":\"at-1\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}"));

    DecryptedCredential decrypted =
        credentials.decrypt(workspace, credential, "exec-1").await().atMost(WAIT);

    assertThat(decrypted.type()).isEqualTo("oauth2AuthorizationCode");
    assertThat(decrypted.field("clientId")).isEqualTo("abc");
    assertThat(decrypted.accessToken()).isEqualTo("at-1");
    assertThat(decrypted.expiresAt()).hasToString("2030-01-01T00:00:00Z");
    assertThat(decrypted.toString()).doesNotContain("at-1").doesNotContain("abc");
    FakeServices.Seen seen = FakeServices.SEEN.get(0);
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.path()).isEqualTo("/internal/v1/credentials/" + credential + "/decrypt");
    assertThat(seen.body())
        .contains("\"workspaceId\":\"" + workspace + "\"")
        .contains("\"executionId\":\"exec-1\"");
    assertThat(seen.authorization()).startsWith("Bearer ey");
  }

  @Test
  void anUnknownCredentialIsNamedAndNotRetryable() {
    FakeServices.reset((request, count) -> new FakeServices.Answer(404, "{\"status\":404}"));

    assertThatThrownBy(() -> credentials.decrypt(workspace, credential, null).await().atMost(WAIT))
        .isInstanceOfSatisfying(
            InternalCallException.class,
            e -> {
              assertThat(e.getMessage())
                  .isEqualTo("credential " + credential + " does not exist in this workspace");
              assertThat(e.reason()).isEqualTo(InternalCallException.Reason.NOT_FOUND);
              assertThat(e.retryable()).isFalse();
            });
    // a malformed id never reaches the service
    FakeServices.SEEN.clear();
    assertThatThrownBy(() -> credentials.decrypt(workspace, "nope", null).await().atMost(WAIT))
        .hasMessage("credential nope does not exist in this workspace");
    assertThat(FakeServices.SEEN).isEmpty();
  }

  @Test
  void aCredentialThatCannotBeUsedNowSaysWhy() {
    FakeServices.reset(
        (request, count) ->
            new FakeServices.Answer(
                409,
                "{\"status\":409,\"detail\":\"The credential is not ready (needs_reconnect):"
                    + " refresh refused\"}"));

    assertThatThrownBy(() -> credentials.decrypt(workspace, credential, null).await().atMost(WAIT))
        .isInstanceOfSatisfying(
            InternalCallException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(InternalCallException.Reason.NOT_USABLE);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "credential "
                          + credential
                          + " cannot be used now: The credential is not ready (needs_reconnect):"
                          + " refresh refused");
            });
  }

  @Test
  void a401IsRetriedOnceWithAFreshToken() {
    FakeServices.reset(
        (request, count) ->
            count == 1
                ? new FakeServices.Answer(401, "")
                : new FakeServices.Answer(200, "{\"data\":{\"token\":\"t\"}}"));

    DecryptedCredential decrypted =
        credentials.decrypt(workspace, credential, null).await().atMost(WAIT);

    assertThat(decrypted.field("token")).isEqualTo("t");
    assertThat(FakeServices.SEEN).hasSize(2);

    // twice 401: refused, not retried forever
    FakeServices.reset((request, count) -> new FakeServices.Answer(401, ""));
    assertThatThrownBy(() -> credentials.decrypt(workspace, credential, null).await().atMost(WAIT))
        .isInstanceOfSatisfying(
            InternalCallException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(InternalCallException.Reason.REFUSED);
              assertThat(e.getMessage())
                  .isEqualTo("credential-service did not accept this service's token (HTTP 401)");
            });
    assertThat(FakeServices.SEEN).hasSize(2);
  }

  @Test
  void serverErrorsAreRetryable() {
    FakeServices.reset(
        (request, count) -> new FakeServices.Answer(503, "{\"detail\":\"database down\"}"));

    assertThatThrownBy(() -> variables.values(workspace).await().atMost(WAIT))
        .isInstanceOfSatisfying(
            InternalCallException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.getMessage())
                  .isEqualTo("variable-service failed (HTTP 503): database down");
            });
  }

  @Test
  void variablesAreCachedPerWorkspaceForTheTtlAndFailuresAreNot() throws Exception {
    String other = UUID.randomUUID().toString();
    FakeServices.reset(
        (request, count) ->
            new FakeServices.Answer(
                200,
                request.query().endsWith(workspace)
                    ? "{\"values\":{\"API_URL\":\"https://a\",\"TOKEN\":\"s3cret\"}}"
                    : "{\"values\":{\"API_URL\":\"https://other\"}}"));

    assertThat(variables.values(workspace).await().atMost(WAIT))
        .isEqualTo(Map.of("API_URL", "https://a", "TOKEN", "s3cret"));
    assertThat(variables.values(workspace).await().atMost(WAIT)).containsEntry("TOKEN", "s3cret");
    assertThat(variables.values(other).await().atMost(WAIT))
        .isEqualTo(Map.of("API_URL", "https://other"));
    assertThat(FakeServices.SEEN).hasSize(2);
    assertThat(FakeServices.SEEN.get(0).path()).isEqualTo("/internal/v1/variables");
    assertThat(FakeServices.SEEN.get(0).query()).isEqualTo("workspaceId=" + workspace);

    // after the TTL (1 s in tests) the next read asks again
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (FakeServices.SEEN.size() < 3 && System.nanoTime() < deadline) {
      variables.values(workspace).await().atMost(WAIT);
      Thread.sleep(100);
    }
    assertThat(FakeServices.SEEN).hasSize(3);

    // a failure is not cached: the next call asks again
    String third = UUID.randomUUID().toString();
    FakeServices.reset(
        (request, count) ->
            count == 1
                ? new FakeServices.Answer(500, "")
                : new FakeServices.Answer(200, "{\"values\":{}}"));
    assertThatThrownBy(() -> variables.values(third).await().atMost(WAIT))
        .isInstanceOf(InternalCallException.class);
    assertThat(variables.values(third).await().atMost(WAIT)).isEmpty();
  }

  @Test
  void anUnreachableServiceIsRetryable() {
    CredentialsClient unreachable =
        new CredentialsClient(
            io.vertx.mutiny.core.Vertx.vertx(),
            io.quarkus.arc.Arc.container().instance(io.linkflow.security.ServiceTokens.class).get(),
            java.net.URI.create("http://127.0.0.1:1"),
            Duration.ofSeconds(2));

    assertThatThrownBy(() -> unreachable.decrypt(workspace, credential, null).await().atMost(WAIT))
        .isInstanceOfSatisfying(
            InternalCallException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.getMessage()).startsWith("credential-service is unreachable: ");
            });
  }
}
