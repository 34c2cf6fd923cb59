package io.linkflow.credential;

import static io.restassured.RestAssured.given;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventTypes;
import io.linkflow.events.payload.AuditRecordedV1;
import io.linkflow.testing.TestIssuer;
import io.linkflow.testing.TopicWatcher;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Calls of the credential API shared by the tests. */
final class Api {

  static final Duration WAIT = Duration.ofSeconds(30);

  private Api() {}

  static RequestSpecification as(String token) {
    RequestSpecification request = given().contentType("application/json");
    return token == null ? request : request.auth().oauth2(token);
  }

  static Response create(String token, String name, String type, Map<String, ?> data) {
    return as(token)
        .body(Map.of("name", name, "type", type, "data", data))
        .post("/api/v1/credentials");
  }

  static String createdId(String token, String name, String type, Map<String, ?> data) {
    return create(token, name, type, data).then().statusCode(201).extract().path("id");
  }

  /** A token like auth-service's executor client's: no workspace, scope credentials:decrypt. */
  static String executor() {
    return TestIssuer.get()
        .builder()
        .subject("service:executor")
        .workspace(null)
        .scope("credentials:decrypt")
        .sign();
  }

  static Response decrypt(String token, String id, UUID workspace) {
    return as(token)
        .body(Map.of("workspaceId", workspace.toString()))
        .post("/internal/v1/credentials/" + id + "/decrypt");
  }

  /** The stored ciphertext of credential {@code id}. */
  static byte[] sealed(io.vertx.mutiny.sqlclient.Pool pool, String id) {
    return pool.preparedQuery("SELECT data_sealed FROM credential WHERE id = $1")
        .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(id)))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getBuffer("data_sealed")
        .getBytes();
  }

  /** The next audit.log record about {@code id} with {@code action}, skipping others about it. */
  static AuditRecordedV1 audit(TopicWatcher audit, String id, String action) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      ConsumerRecord<String, byte[]> record =
          audit.first(
              CloudEventHeaders.TYPE,
              EventTypes.AUDIT_RECORDED_V1.cloudEventType(),
              CloudEventHeaders.SUBJECT,
              id,
              WAIT);
      AuditRecordedV1 payload = EventCodec.read(AuditRecordedV1.class, record.value());
      if (payload.action().equals(action)) {
        return payload;
      }
    }
    throw new AssertionError("no " + action + " audit record for " + id);
  }
}
