package io.linkflow.variable;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.AuditRecordedV1;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The internal read of a workspace's variables for runs ({@code $vars}): secret values unsealed,
 * only for service tokens with {@code variable-values:read}, one workspace at a time, audited.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_variable", redis = false)
class InternalValuesTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final UUID workspace = UUID.randomUUID();
  private final String editor = TestIssuer.get().token(UUID.randomUUID(), workspace, "editor");

  /** A token like auth-service's executor client's: no workspace, internal scopes. */
  private static String service(String scope) {
    return TestIssuer.get()
        .builder()
        .subject("service:executor")
        .workspace(null)
        .scope(scope)
        .sign();
  }

  @Test
  void aServiceReadsEveryVariableOfOneWorkspaceWithSecretsUnsealedAndTheReadIsAudited() {
    create(editor, "API_URL", "https://api.example.com", false);
    create(editor, "STRIPE_KEY", "sk_live_abc123", true);
    UUID otherWorkspace = UUID.randomUUID();
    create(
        TestIssuer.get().token(UUID.randomUUID(), otherWorkspace, "editor"),
        "OTHER",
        "not yours",
        true);

    try (TopicWatcher audit = TopicWatcher.watch(Topic.AUDIT_LOG.topicName())) {
      Map<String, String> values =
          given()
              .auth()
              .oauth2(service("credentials:decrypt variable-values:read"))
              .get("/internal/v1/variables?workspaceId=" + workspace)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getMap("values");

      assertThat(values)
          .isEqualTo(Map.of("API_URL", "https://api.example.com", "STRIPE_KEY", "sk_live_abc123"));

      ConsumerRecord<String, byte[]> record =
          audit.first(
              CloudEventHeaders.TYPE,
              EventTypes.AUDIT_RECORDED_V1.cloudEventType(),
              CloudEventHeaders.SUBJECT,
              workspace.toString(),
              WAIT);
      AuditRecordedV1 recorded = EventCodec.read(AuditRecordedV1.class, record.value());
      assertThat(recorded.action()).isEqualTo("variable.secrets_read");
      assertThat(recorded.actorId()).isEqualTo("service:executor");
      assertThat(recorded.actorType()).isEqualTo("service");
      assertThat(recorded.details()).containsEntry("keys", "STRIPE_KEY");
      assertThat(new String(record.value(), StandardCharsets.UTF_8)).doesNotContain("sk_live");
    }

    given()
        .auth()
        .oauth2(service("variable-values:read"))
        .get("/internal/v1/variables?workspaceId=" + UUID.randomUUID())
        .then()
        .statusCode(200)
        .body("values.size()", org.hamcrest.Matchers.equalTo(0));
  }

  @Test
  void onlyServiceTokensWithTheInternalScopeMayRead() {
    create(editor, "TOKEN", "s3cret-value", true);
    String path = "/internal/v1/variables?workspaceId=" + workspace;

    // a service without the scope
    given().auth().oauth2(service("credentials:decrypt")).get(path).then().statusCode(403);
    // the workspace's owner: the public API scope never grants internal ones
    given()
        .auth()
        .oauth2(TestIssuer.get().token(UUID.randomUUID(), workspace, "owner"))
        .get(path)
        .then()
        .statusCode(403);
    // an API key's token with every variables scope
    String apiKey =
        TestIssuer.get()
            .builder()
            .workspace(workspace)
            .role("owner")
            .scope("variables:read variables:write")
            .sign();
    given().auth().oauth2(apiKey).get(path).then().statusCode(403);
    // nobody
    given().get(path).then().statusCode(401);
    // the workspace must be named
    given()
        .auth()
        .oauth2(service("variable-values:read"))
        .get("/internal/v1/variables")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
  }

  private static void create(String token, String key, String value, boolean secret) {
    given()
        .auth()
        .oauth2(token)
        .contentType("application/json")
        .body(Map.of("key", key, "value", value, "secret", secret))
        .post("/api/v1/variables")
        .then()
        .statusCode(201);
  }
}
