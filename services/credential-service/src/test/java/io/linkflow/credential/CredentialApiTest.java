package io.linkflow.credential;

import static io.linkflow.credential.Api.WAIT;
import static io.linkflow.credential.Api.as;
import static io.linkflow.credential.Api.create;
import static io.linkflow.credential.Api.createdId;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventTypes;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.AuditRecordedV1;
import io.linkflow.events.payload.CredentialChangedV1;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Credentials on real PostgreSQL and Kafka, through the HTTP API with real tokens. */
@QuarkusTest
@RealInfrastructure(database = "linkflow_credential", redis = false)
class CredentialApiTest {

  @Inject Pool pool;
  @Inject CredentialSecrets secrets;

  private final UUID workspace = UUID.randomUUID();
  private final UUID editorId = UUID.randomUUID();
  private final String editor = TestIssuer.get().token(editorId, workspace, "editor");

  private static Map<String, Object> smtp(String host, String password) {
    Map<String, Object> data = new HashMap<>();
    data.put("host", host);
    data.put("port", 587);
    data.put("user", "mailer");
    data.put("password", password);
    data.put("from", "robot@example.com");
    return data;
  }

  @Test
  void aCredentialIsCreatedReadChangedAndDeletedWithEventsAndAudit() {
    try (TopicWatcher events = TopicWatcher.watch(Topic.CREDENTIAL_EVENTS.topicName());
        TopicWatcher audit = TopicWatcher.watch(Topic.AUDIT_LOG.topicName())) {
      String id =
          create(editor, "Mail relay", "smtp", smtp("smtp.example.com", "pw-Zq81x"))
              .then()
              .statusCode(201)
              .header("Location", containsString("/api/v1/credentials/"))
              .body("name", equalTo("Mail relay"))
              .body("type", equalTo("smtp"))
              .body("status", equalTo("ready"))
              .body("data.host", equalTo("smtp.example.com"))
              .body("data.port", equalTo(587))
              .body("data", not(hasKey("password")))
              .body("secretFields", contains("password"))
              .body("createdBy", equalTo(editorId.toString()))
              .extract()
              .path("id");

      as(editor)
          .body(Map.of("name", "Mail relay EU", "data", Map.of("host", "smtp.eu.example.com")))
          .patch("/api/v1/credentials/" + id)
          .then()
          .statusCode(200)
          .body("name", equalTo("Mail relay EU"))
          .body("data.host", equalTo("smtp.eu.example.com"))
          .body("data.user", equalTo("mailer"))
          .body("secretFields", contains("password"));
      as(editor).get("/api/v1/credentials/" + id).then().statusCode(200);
      as(editor).delete("/api/v1/credentials/" + id).then().statusCode(204);
      as(editor).get("/api/v1/credentials/" + id).then().statusCode(404);

      for (var type :
          List.of(
              EventTypes.CREDENTIAL_CREATED_V1,
              EventTypes.CREDENTIAL_UPDATED_V1,
              EventTypes.CREDENTIAL_DELETED_V1)) {
        ConsumerRecord<String, byte[]> record =
            events.first(
                CloudEventHeaders.TYPE, type.cloudEventType(), CloudEventHeaders.SUBJECT, id, WAIT);
        assertThat(TopicWatcher.header(record, CloudEventHeaders.WORKSPACE_ID))
            .isEqualTo(workspace.toString());
        CredentialChangedV1 payload = EventCodec.read(CredentialChangedV1.class, record.value());
        assertThat(payload.type()).isEqualTo("smtp");
        assertThat(payload.status()).isEqualTo("ready");
        assertThat(payload.actor()).isEqualTo(editorId.toString());
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).doesNotContain("pw-Zq81x");

        AuditRecordedV1 recorded = Api.audit(audit, id, type.name());
        assertThat(recorded.actorId()).isEqualTo(editorId.toString());
        assertThat(recorded.actorType()).isEqualTo("user");
        assertThat(recorded.resourceType()).isEqualTo("credential");
        assertThat(recorded.outcome()).isEqualTo("success");
      }
    }
  }

  @Test
  void omittedSecretFieldsKeepTheirValueAndTheMergedFieldsAreValidated() {
    String id = createdId(editor, "SMTP", "smtp", smtp("smtp.example.com", "keep-me-9f3"));

    as(editor)
        .body(Map.of("data", Map.of("host", "mail.example.org", "port", 465)))
        .patch("/api/v1/credentials/" + id)
        .then()
        .statusCode(200)
        .body("data.host", equalTo("mail.example.org"));
    var stored = stored(id);
    assertThat(stored.get("password").asText()).isEqualTo("keep-me-9f3");
    assertThat(stored.get("port").asInt()).isEqualTo(465);

    // null removes a field; removing a required one fails on the merged result and changes nothing
    as(editor)
        .body(Map.of("data", Map.of("port", "not a number", "from", "")))
        .patch("/api/v1/credentials/" + id)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.pointer", hasItem("/data/port"))
        .body("errors.pointer", hasItem("/data/from"));
    HashMap<String, Object> removeHost = new HashMap<>();
    removeHost.put("host", null);
    as(editor)
        .body(Map.of("data", removeHost))
        .patch("/api/v1/credentials/" + id)
        .then()
        .statusCode(400)
        .body("errors.pointer", contains("/data/host"));
    assertThat(stored(id).get("host").asText()).isEqualTo("mail.example.org");

    // a new secret value replaces the old one; the type is fixed
    as(editor)
        .body(Map.of("data", Map.of("password", "new-pw-71")))
        .patch("/api/v1/credentials/" + id)
        .then()
        .statusCode(200);
    assertThat(stored(id).get("password").asText()).isEqualTo("new-pw-71");
    as(editor)
        .body(Map.of("type", "httpBasicAuth"))
        .patch("/api/v1/credentials/" + id)
        .then()
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/type"));
  }

  @Test
  void badInputIs400WithOneErrorPerFieldAndWritesNothing() {
    Map<String, Object> data = new HashMap<>();
    data.put("user", "");
    data.put("password", 12);
    data.put("colour", "blue");
    create(editor, "", "httpBasicAuth", data)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body(
            "errors.pointer",
            containsInAnyOrder("/name", "/data/user", "/data/password", "/data/colour"));
    create(editor, "Basic", "httpBasicAuth", Map.of("user", "alice"))
        .then()
        .statusCode(400)
        .body("errors.pointer", contains("/data/password"));
    create(editor, "Unknown", "carrierPigeon", Map.of())
        .then()
        .statusCode(400)
        .body("errors.pointer", contains("/type"))
        .body("errors[0].message", containsString("smtp"));
    as(editor)
        .body(Map.of("name", "No type", "data", Map.of()))
        .post("/api/v1/credentials")
        .then()
        .statusCode(400)
        .body("errors.pointer", contains("/type"));
    as(editor)
        .body(Map.of("name", "Bad data", "type", "smtp", "data", "text"))
        .post("/api/v1/credentials")
        .then()
        .statusCode(400)
        .body("errors.pointer", contains("/data"));
    as(editor)
        .body("{\"name\":\"x\",\"type\":\"smtp\",\"data\":{},\"colour\":1}")
        .post("/api/v1/credentials")
        .then()
        .statusCode(400);
    as(editor).get("/api/v1/credentials").then().body("items", hasSize(0));
  }

  @Test
  void namesAreUniquePerWorkspaceIgnoringCase() {
    createdId(editor, "GitHub", "httpBearerToken", Map.of("token", "ghp_1"));
    create(editor, "github", "httpBearerToken", Map.of("token", "ghp_2"))
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("errors[0].pointer", equalTo("/name"));
    String other = createdId(editor, "GitLab", "httpBearerToken", Map.of("token", "glp_1"));
    as(editor)
        .body(Map.of("name", "GITHUB"))
        .patch("/api/v1/credentials/" + other)
        .then()
        .statusCode(409);
    String stranger = TestIssuer.get().token(UUID.randomUUID(), UUID.randomUUID(), "editor");
    create(stranger, "GitHub", "httpBearerToken", Map.of("token", "ghp_3")).then().statusCode(201);
  }

  @Test
  void listsArePagedByNameFilteredByTypeAndSearchedByName() {
    createdId(editor, "Bravo hook", "slackWebhook", Map.of("url", "https://hooks.slack.com/b"));
    createdId(editor, "Alpha basic", "httpBasicAuth", Map.of("user", "a", "password", "p"));
    createdId(editor, "Charlie hook", "slackWebhook", Map.of("url", "https://hooks.slack.com/c"));
    createdId(editor, "Alpha token", "httpBearerToken", Map.of("token", "t"));
    String next =
        as(editor)
            .get("/api/v1/credentials?limit=2")
            .then()
            .statusCode(200)
            .body("items.name", contains("Alpha basic", "Alpha token"))
            .extract()
            .path("nextCursor");
    as(editor)
        .get("/api/v1/credentials?limit=2&cursor=" + next)
        .then()
        .body("items.name", contains("Bravo hook", "Charlie hook"))
        .body("nextCursor", nullValue());
    as(editor)
        .get("/api/v1/credentials?type=slackWebhook")
        .then()
        .body("items.name", contains("Bravo hook", "Charlie hook"))
        .body("items[0].data", not(hasKey("url")));
    as(editor)
        .get("/api/v1/credentials?search=HOOK&type=slackWebhook")
        .then()
        .body("items.name", contains("Bravo hook", "Charlie hook"));
    as(editor).get("/api/v1/credentials?search=alpha").then().body("items", hasSize(2));
    as(editor).get("/api/v1/credentials?search=%25").then().body("items", hasSize(0));
    as(editor).get("/api/v1/credentials?limit=0").then().statusCode(400);
    as(editor).get("/api/v1/credentials?cursor=forged").then().statusCode(400);
  }

  @Test
  void viewersReadMaskedAndOnlyEditorsWrite() {
    String viewer = TestIssuer.get().token(UUID.randomUUID(), workspace, "viewer");
    String id = createdId(editor, "Basic", "httpBasicAuth", Map.of("user", "u", "password", "p1"));
    as(viewer)
        .get("/api/v1/credentials/" + id)
        .then()
        .statusCode(200)
        .body("data.user", equalTo("u"))
        .body("data", not(hasKey("password")))
        .body("secretFields", contains("password"));
    create(viewer, "Mine", "httpBearerToken", Map.of("token", "t")).then().statusCode(403);
    as(viewer)
        .body(Map.of("name", "Renamed"))
        .patch("/api/v1/credentials/" + id)
        .then()
        .statusCode(403);
    as(viewer).delete("/api/v1/credentials/" + id).then().statusCode(403);
    as(viewer).post("/api/v1/credentials/" + id + "/oauth2/authorize").then().statusCode(403);
    given().get("/api/v1/credentials").then().statusCode(401);
    String readOnlyKey =
        TestIssuer.get()
            .builder()
            .workspace(workspace)
            .role("admin")
            .scope("credentials:read")
            .sign();
    as(readOnlyKey).get("/api/v1/credentials/" + id).then().statusCode(200);
    create(readOnlyKey, "X", "httpBearerToken", Map.of("token", "t")).then().statusCode(403);
  }

  @Test
  void fieldsAreSealedAtRestBoundToTheirRow() {
    String id =
        createdId(editor, "Header", "httpHeaderAuth", Map.of("name", "X-Key", "value", "hv-7781"));
    var row =
        pool.preparedQuery(
                "SELECT data_sealed, master_key_id, public_data::text AS public_data"
                    + " FROM credential WHERE id = $1")
            .execute(Tuple.of(UUID.fromString(id)))
            .await()
            .atMost(WAIT)
            .iterator()
            .next();
    byte[] sealed = row.getBuffer("data_sealed").getBytes();
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("hv-7781");
    assertThat(row.getString("public_data")).doesNotContain("hv-7781").contains("X-Key");
    assertThat(row.getInteger("master_key_id")).isEqualTo(1);
    assertThat(secrets.open(workspace, UUID.fromString(id), sealed).get("value").asText())
        .isEqualTo("hv-7781");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> secrets.open(workspace, UUID.randomUUID(), sealed))
        .isInstanceOf(io.linkflow.security.crypto.CiphertextRejectedException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> secrets.open(UUID.randomUUID(), UUID.fromString(id), sealed))
        .isInstanceOf(io.linkflow.security.crypto.CiphertextRejectedException.class);
  }

  private com.fasterxml.jackson.databind.node.ObjectNode stored(String id) {
    byte[] sealed = Api.sealed(pool, id);
    return secrets.open(workspace, UUID.fromString(id), sealed);
  }
}
