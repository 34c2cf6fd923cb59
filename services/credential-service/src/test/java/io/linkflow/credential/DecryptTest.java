package io.linkflow.credential;

import static io.linkflow.credential.Api.WAIT;
import static io.linkflow.credential.Api.as;
import static io.linkflow.credential.Api.createdId;
import static io.linkflow.credential.Api.decrypt;
import static io.linkflow.credential.Api.executor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.linkflow.events.Topic;
import io.linkflow.events.payload.AuditRecordedV1;
import io.linkflow.testing.LogCapture;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * The internal decrypt: only service tokens with credentials:decrypt, every access audited, a
 * tampered ciphertext refused (and audited as a failure); plaintext never in a public answer or a
 * log line.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_credential", redis = false)
class DecryptTest {

  @Inject Pool pool;

  private final UUID workspace = UUID.randomUUID();
  private final String owner = TestIssuer.get().token(UUID.randomUUID(), workspace, "owner");

  @Test
  void onlyServiceTokensWithCredentialsDecryptGetThePlaintextAndEachAccessIsAudited() {
    String id =
        createdId(
            owner, "Partner API", "httpBasicAuth", Map.of("user", "bot", "password", "pw-4471"));
    try (TopicWatcher audit = TopicWatcher.watch(Topic.AUDIT_LOG.topicName())) {
      decrypt(executor(), id, workspace)
          .then()
          .statusCode(200)
          .body("id", equalTo(id))
          .body("workspaceId", equalTo(workspace.toString()))
          .body("type", equalTo("httpBasicAuth"))
          .body("data.user", equalTo("bot"))
          .body("data.password", equalTo("pw-4471"));
      AuditRecordedV1 recorded = Api.audit(audit, id, "credential.access");
      assertThat(recorded.actorId()).isEqualTo("service:executor");
      assertThat(recorded.actorType()).isEqualTo("service");
      assertThat(recorded.outcome()).isEqualTo("success");
      assertThat(recorded.details()).containsEntry("type", "httpBasicAuth");
      assertThat(recorded.details().values()).noneMatch(v -> v.contains("pw-4471"));
    }

    // a person's token, even the owner's with every public scope: 403; no token: 401
    decrypt(owner, id, workspace).then().statusCode(403);
    String apiKeyLike =
        TestIssuer.get()
            .builder()
            .workspace(workspace)
            .role("owner")
            .scope("credentials:read credentials:write")
            .sign();
    decrypt(apiKeyLike, id, workspace).then().statusCode(403);
    decrypt(null, id, workspace).then().statusCode(401).contentType("application/problem+json");
    // a service token without the scope
    String otherService =
        TestIssuer.get()
            .builder()
            .subject("service:operator")
            .workspace(null)
            .scope("signing-keys:rotate")
            .sign();
    decrypt(otherService, id, workspace).then().statusCode(403);
    // the wrong workspace, or none
    decrypt(executor(), id, UUID.randomUUID()).then().statusCode(404);
    as(executor())
        .body(Map.of())
        .post("/internal/v1/credentials/" + id + "/decrypt")
        .then()
        .statusCode(400)
        .body("errors[0].pointer", equalTo("/workspaceId"));
  }

  @Test
  void aTamperedCiphertextIsRefusedNotDecryptedIntoGarbageAndTheFailureIsAudited() {
    String id = createdId(owner, "Tampered", "httpBearerToken", Map.of("token", "tok-5521"));
    byte[] sealed = Api.sealed(pool, id);
    sealed[sealed.length - 5] ^= 0x01;
    pool.preparedQuery("UPDATE credential SET data_sealed = $2 WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(id), Buffer.buffer(sealed)))
        .await()
        .atMost(WAIT);

    try (TopicWatcher audit = TopicWatcher.watch(Topic.AUDIT_LOG.topicName())) {
      decrypt(executor(), id, workspace)
          .then()
          .statusCode(500)
          .contentType("application/problem+json")
          .body("detail", containsString("cannot be decrypted"))
          .body("data", org.hamcrest.Matchers.nullValue());
      AuditRecordedV1 recorded = Api.audit(audit, id, "credential.access");
      assertThat(recorded.outcome()).isEqualTo("failure");
      assertThat(recorded.details().get("reason")).contains("cannot be decrypted");
    }
    // the public read does not need the ciphertext; a change does, and refuses
    as(owner).get("/api/v1/credentials/" + id).then().statusCode(200);
    as(owner)
        .body(Map.of("data", Map.of("token", "x")))
        .patch("/api/v1/credentials/" + id)
        .then()
        .statusCode(500);
  }

  @Test
  void plaintextNeverAppearsInAPublicAnswerNorInTheLogs() {
    String password = "pl41n-" + UUID.randomUUID();
    String newPassword = "n3w-" + UUID.randomUUID();
    List<Response> answers = new ArrayList<>();
    try (LogCapture logs = LogCapture.start()) {
      Map<String, Object> data = new HashMap<>();
      data.put("host", "smtp.example.com");
      data.put("port", 587);
      data.put("password", password);
      data.put("from", "me@example.com");
      Response created = Api.create(owner, "Secret mail", "smtp", data);
      answers.add(created);
      String id = created.path("id");
      answers.add(as(owner).get("/api/v1/credentials/" + id));
      answers.add(as(owner).get("/api/v1/credentials"));
      answers.add(as(owner).get("/api/v1/credentials?search=secret&type=smtp"));
      answers.add(
          as(owner)
              .body(Map.of("data", Map.of("password", newPassword, "port", 25)))
              .patch("/api/v1/credentials/" + id));
      // invalid input that carries secrets: the error must not echo them
      answers.add(
          as(owner)
              .body(Map.of("data", Map.of("password", newPassword, "port", newPassword)))
              .patch("/api/v1/credentials/" + id));
      answers.add(Api.create(owner, "Secret mail", "smtp", data)); // 409
      answers.add(
          Api.create(
              owner, "Hook", "slackWebhook", Map.of("url", "not a url " + password, "x", 1)));
      answers.add(
          as(owner)
              .body(Map.of("name", "x", "type", "smtp", "data", Map.of("from", 1, "password", 7)))
              .post("/api/v1/credentials"));
      decrypt(executor(), id, workspace)
          .then()
          .statusCode(200)
          .body("data.password", equalTo(newPassword));
      for (Response answer : answers) {
        assertThat(answer.asString()).doesNotContain(password).doesNotContain(newPassword);
      }
      for (ExtLogRecord record : logs.records()) {
        String text =
            record.getFormattedMessage()
                + " "
                + record.getMdcCopy()
                + " "
                + (record.getThrown() == null ? "" : record.getThrown().toString());
        assertThat(text).doesNotContain(password).doesNotContain(newPassword);
      }
    }
    as(owner)
        .get("/api/v1/credentials")
        .then()
        .body("items[0].data", not(org.hamcrest.Matchers.hasKey("password")));
  }
}
