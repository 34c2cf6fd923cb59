package io.linkflow.variable;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.VariableChangedV1;
import io.linkflow.security.crypto.SecretCipher;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Variables on real PostgreSQL and Kafka, through the HTTP API with real tokens. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_variable", redis = false)
class VariableApiTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject Pool pool;
  @Inject SecretCipher cipher;

  private final UUID workspace = UUID.randomUUID();
  private final String editor = TestIssuer.get().token(UUID.randomUUID(), workspace, "editor");

  @Test
  void aPlainVariableIsCreatedReadChangedAndDeletedWithEvents() {
    try (TopicWatcher events = TopicWatcher.watch(Topic.VARIABLE_EVENTS.topicName())) {
      String id =
          create(editor, Map.of("key", "API_BASE_URL", "value", "https://api.example.com"))
              .then()
              .statusCode(201)
              .body("key", equalTo("API_BASE_URL"))
              .body("value", equalTo("https://api.example.com"))
              .body("secret", equalTo(false))
              .extract()
              .path("id");

      as(editor)
          .body(Map.of("value", "https://api2.example.com", "description", "the partner API"))
          .patch("/api/v1/variables/" + id)
          .then()
          .statusCode(200)
          .body("value", equalTo("https://api2.example.com"))
          .body("description", equalTo("the partner API"));
      as(editor)
          .get("/api/v1/variables/" + id)
          .then()
          .body("value", equalTo("https://api2.example.com"));
      as(editor).delete("/api/v1/variables/" + id).then().statusCode(204);
      as(editor).get("/api/v1/variables/" + id).then().statusCode(404);

      for (var type :
          List.of(
              EventTypes.VARIABLE_CREATED_V1,
              EventTypes.VARIABLE_UPDATED_V1,
              EventTypes.VARIABLE_DELETED_V1)) {
        ConsumerRecord<String, byte[]> record =
            events.first(
                CloudEventHeaders.TYPE, type.cloudEventType(), CloudEventHeaders.SUBJECT, id, WAIT);
        assertThat(TopicWatcher.header(record, CloudEventHeaders.WORKSPACE_ID))
            .isEqualTo(workspace.toString());
        VariableChangedV1 payload = EventCodec.read(VariableChangedV1.class, record.value());
        assertThat(payload.key()).isEqualTo("API_BASE_URL");
        assertThat(new String(record.value(), StandardCharsets.UTF_8))
            .doesNotContain("example.com");
      }
    }
  }

  @Test
  void aSecretIsEncryptedAtRestAndNeverReturned() {
    String id =
        create(editor, Map.of("key", "STRIPE_KEY", "value", "sk_live_123456", "secret", true))
            .then()
            .statusCode(201)
            .body("value", nullValue())
            .body("masked", equalTo(true))
            .extract()
            .path("id");

    as(editor).get("/api/v1/variables/" + id).then().statusCode(200).body("value", nullValue());
    as(editor)
        .get("/api/v1/variables?prefix=stripe")
        .then()
        .body("items", hasSize(1))
        .body("items[0].value", nullValue())
        .body("items[0].masked", equalTo(true));

    Row row = row(id);
    assertThat(row.getString("value")).isNull();
    byte[] sealed = row.getBuffer("value_sealed").getBytes();
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("sk_live_123456");
    assertThat(row.getInteger("master_key_id")).isEqualTo(1);
    UUID variable = UUID.fromString(id);
    assertThat(cipher.openText(workspace, variable, sealed)).isEqualTo("sk_live_123456");
    // bound to its row: the same ciphertext does not open for another variable
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> cipher.openText(workspace, UUID.randomUUID(), sealed))
        .isInstanceOf(io.linkflow.security.crypto.CiphertextRejectedException.class);

    // a new secret value is encrypted again; the secret flag cannot be dropped
    as(editor)
        .body(Map.of("value", "sk_live_rotated"))
        .patch("/api/v1/variables/" + id)
        .then()
        .statusCode(200)
        .body("value", nullValue());
    assertThat(cipher.openText(workspace, variable, row(id).getBuffer("value_sealed").getBytes()))
        .isEqualTo("sk_live_rotated");
    as(editor)
        .body(Map.of("secret", false))
        .patch("/api/v1/variables/" + id)
        .then()
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/secret"));
  }

  @Test
  void badInputIs400WithEveryProblemAndWritesNothing() {
    Map<String, Object> body = new HashMap<>();
    body.put("key", "1-bad key");
    body.put("value", "x".repeat(65_537));
    body.put("description", "d".repeat(501));
    create(editor, body)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.pointer", contains("/key", "/value", "/description"));
    create(editor, Map.of("key", "NO_VALUE"))
        .then()
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/value"));
    as(editor)
        .body("{\"key\":\"A\",\"value\":\"b\",\"colour\":1}")
        .post("/api/v1/variables")
        .then()
        .statusCode(400);
    as(editor).get("/api/v1/variables").then().body("items", hasSize(0));
  }

  @Test
  void keysAreUniquePerWorkspace() {
    create(editor, Map.of("key", "REGION", "value", "eu")).then().statusCode(201);
    create(editor, Map.of("key", "REGION", "value", "us")).then().statusCode(409);
    String other = TestIssuer.get().token(UUID.randomUUID(), UUID.randomUUID(), "editor");
    create(other, Map.of("key", "REGION", "value", "us")).then().statusCode(201);
  }

  @Test
  void listsArePagedByKeyAndFilteredByPrefix() {
    for (String key : List.of("B_TWO", "A_ONE", "C_THREE", "A_FOUR")) {
      create(editor, Map.of("key", key, "value", key.toLowerCase())).then().statusCode(201);
    }
    String next =
        as(editor)
            .get("/api/v1/variables?limit=2")
            .then()
            .statusCode(200)
            .body("items.key", contains("A_FOUR", "A_ONE"))
            .extract()
            .path("nextCursor");
    as(editor)
        .get("/api/v1/variables?limit=2&cursor=" + next)
        .then()
        .body("items.key", contains("B_TWO", "C_THREE"))
        .body("nextCursor", nullValue());
    as(editor)
        .get("/api/v1/variables?prefix=a_")
        .then()
        .body("items.key", contains("A_FOUR", "A_ONE"));
    as(editor).get("/api/v1/variables?limit=0").then().statusCode(400);
  }

  @Test
  void viewersReadAndOnlyEditorsWrite() {
    String viewer = TestIssuer.get().token(UUID.randomUUID(), workspace, "viewer");
    String id =
        create(editor, Map.of("key", "TZ", "value", "UTC"))
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    as(viewer).get("/api/v1/variables/" + id).then().statusCode(200);
    create(viewer, Map.of("key", "X", "value", "y")).then().statusCode(403);
    as(viewer).body(Map.of("value", "CET")).patch("/api/v1/variables/" + id).then().statusCode(403);
    as(viewer).delete("/api/v1/variables/" + id).then().statusCode(403);
    given().get("/api/v1/variables").then().statusCode(401);
    String readOnlyKey =
        TestIssuer.get()
            .builder()
            .workspace(workspace)
            .role("admin")
            .scope("variables:read")
            .sign();
    as(readOnlyKey).get("/api/v1/variables/" + id).then().statusCode(200);
    create(readOnlyKey, Map.of("key", "X", "value", "y")).then().statusCode(403);
  }

  @Test
  void anotherWorkspaceCanNeitherSeeNorChangeAVariable() {
    String id =
        create(editor, Map.of("key", "SHARED", "value", "mine"))
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String stranger = TestIssuer.get().token(UUID.randomUUID(), UUID.randomUUID(), "owner");

    as(stranger).get("/api/v1/variables/" + id).then().statusCode(404);
    as(stranger)
        .body(Map.of("value", "theirs"))
        .patch("/api/v1/variables/" + id)
        .then()
        .statusCode(404);
    as(stranger).delete("/api/v1/variables/" + id).then().statusCode(404);
    as(stranger).get("/api/v1/variables").then().body("items", hasSize(0));
    as(editor).get("/api/v1/variables/" + id).then().statusCode(200).body("value", equalTo("mine"));
  }

  private Response create(String token, Map<String, ?> body) {
    return as(token).body(body).post("/api/v1/variables");
  }

  private static RequestSpecification as(String token) {
    return given().auth().oauth2(token).contentType("application/json");
  }

  private Row row(String id) {
    return pool.preparedQuery(
            "SELECT value, value_sealed, master_key_id FROM variable WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(id)))
        .await()
        .atMost(WAIT)
        .iterator()
        .next();
  }
}
