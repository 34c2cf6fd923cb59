package io.linkflow.execution;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkflow.engine.wire.NodeOutcome;
import io.linkflow.events.Topic;
import io.linkflow.events.payload.ExecutionCommandV1;
import io.linkflow.execution.engine.TestWorkflow;
import io.linkflow.security.Roles;
import io.linkflow.security.Scopes;
import io.linkflow.testing.LogCapture;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.linkflow.testing.TopicWatcher;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The housekeeping jobs of execution-service (retention, stale work, usage rollups) through their
 * internal endpoint, against real PostgreSQL and Kafka; the test plays schedule-service (a service
 * token with housekeeping:run) and the executor.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_execution", redis = false)
class ExecutionHousekeepingTest extends ExecutionTestSupport {

  static final String SET =
      "{\"mode\":\"manual\",\"fields\":[{\"name\":\"total\",\"type\":\"number\","
          + "\"value\":\"{{ $json.price * $json.qty }}\"}]}";
  static final String HTTP = "{\"url\":\"https://api.example.com/orders/{{ $json.id }}\"}";

  static TopicWatcher commands;

  @Inject Pool pool;

  @BeforeAll
  static void watch() {
    api();
    commands = TopicWatcher.watch(Topic.EXECUTION_COMMANDS.topicName());
  }

  @AfterAll
  static void close() {
    commands.close();
  }

  // --------------------------------------------------------------------------- retention

  @Test
  void retentionDeletesOnlyExecutionsFinishedBeforeTheRetentionWithTheirNodeRuns() {
    UUID oldSucceeded = trigger(manualSet(), "[{\"price\":1,\"qty\":1}]");
    UUID oldSucceededToo = trigger(manualSet(), "[{\"price\":2,\"qty\":1}]");
    UUID oldFailed = trigger(manualHttpSet(), "[{\"id\":1}]");
    answer(runNode(commands, oldFailed), NodeOutcome.failure("HTTP 500", "node", false));
    UUID recent = trigger(manualSet(), "[{\"price\":3,\"qty\":1}]");
    UUID oldRunning = trigger(manualHttpSet(), "[{\"id\":2}]");
    runNode(commands, oldRunning);
    awaitStatus(oldSucceeded, "succeeded");
    awaitStatus(oldSucceededToo, "succeeded");
    awaitStatus(oldFailed, "failed");
    awaitStatus(recent, "succeeded");
    awaitStatus(oldRunning, "running");
    List<UUID> old = List.of(oldSucceeded, oldSucceededToo, oldFailed);
    // finished 31 days ago (the retention is 30 days); the running one started 40 days ago
    sql(
        "UPDATE execution SET created_at = now() - interval '31 days' - interval '1 minute',"
            + " started_at = now() - interval '31 days' - interval '1 minute',"
            + " finished_at = now() - interval '31 days' WHERE id = ANY($1)",
        (Object) old.toArray(new UUID[0]));
    sql(
        "UPDATE execution SET created_at = now() - interval '40 days', started_at = now() -"
            + " interval '40 days' WHERE id = $1",
        oldRunning);
    assertThat(nodeRuns(old)).isEqualTo(6); // trigger + Set, trigger + Set, trigger + HTTP

    JsonNode answer = housekeeping("retention");

    assertThat(answer.path("job").asText()).isEqualTo("retention");
    assertThat(answer.path("deleted").asInt()).isEqualTo(3); // in batches of 2 (test config)
    assertThat(answer.path("more").asBoolean()).isFalse();
    assertThat(answer.path("durationMs").isIntegralNumber()).isTrue();
    for (UUID id : old) {
      given().auth().oauth2(editor()).get("/api/v1/executions/" + id).then().statusCode(404);
    }
    assertThat(nodeRuns(old)).isZero();
    assertThat(awaitStatus(recent, "succeeded").path("nodeRuns")).hasSize(2);
    assertThat(awaitStatus(oldRunning, "running").path("nodeRuns")).hasSize(2);
    // nothing left to delete: a second run deletes nothing
    assertThat(housekeeping("retention").path("deleted").asInt()).isZero();
  }

  // --------------------------------------------------------------------------- stale work

  @Test
  void staleWorkRequeuesExactlyTheStuckExecutionsAndTheSweeperMovesThemOn() {
    // stuck: running, its timer lost (the lease of its command), no progress for 20 minutes
    TestWorkflow shortLease = manualHttpSet();
    shortLease.nodeAt(1).put("timeoutSeconds", 2);
    UUID stuck = null;
    ExecutionCommandV1 lost = null;
    for (int attempt = 0; attempt < 5 && stuck == null; attempt++) {
      UUID id = trigger(shortLease, "[{\"id\":" + attempt + "}]");
      ExecutionCommandV1 command = runNode(commands, id);
      // lose the timer, unless the lease already expired and the command was sent again
      int changed =
          sql(
              "UPDATE execution SET wake_at = NULL WHERE id = $1 AND status = 'running' AND"
                  + " state::jsonb -> 'active' -> $2::text ->> 'commandId' = $3::text",
              id,
              command.nodeRunId().toString(),
              command.commandId().toString());
      if (changed == 1) {
        stuck = id;
        lost = command;
      }
    }
    assertThat(stuck).as("an execution whose timer could be removed in time").isNotNull();
    backdate(stuck);

    // healthy: waiting for an hour (a timer), idle for 20 minutes
    TestWorkflow waits = new TestWorkflow();
    waits.node("t", "manualTrigger", "{}");
    waits.node("w", "wait", "{\"resume\":\"duration\",\"amount\":1,\"unit\":\"hours\"}");
    waits.edge("t", "w");
    UUID waiting = trigger(waits, "[{}]");
    awaitStatus(waiting, "waiting");
    backdate(waiting);

    // healthy: queued behind a running execution of a workflow with concurrency limit 1
    TestWorkflow limited = manualHttpSet();
    limited.settings.put("concurrencyLimit", 1);
    UUID holder = trigger(limited, "[{\"id\":10}]");
    runNode(commands, holder);
    UUID queued = trigger(limited, "[{\"id\":11}]");
    awaitStatus(queued, "created");
    backdate(holder);
    backdate(queued);

    // stuck: queued, but the execution holding the slot ended without waking the queue
    TestWorkflow limitedToo = manualHttpSet();
    limitedToo.settings.put("concurrencyLimit", 1);
    UUID gone = trigger(limitedToo, "[{\"id\":20}]");
    runNode(commands, gone);
    UUID forgotten = trigger(limitedToo, "[{\"id\":21}]");
    awaitStatus(forgotten, "created");
    sql(
        "UPDATE execution SET status = 'cancelled', finished_at = now(), wake_at = NULL WHERE id"
            + " = $1",
        gone);
    backdate(forgotten);

    // no timer, but progress a moment ago: not stale yet
    UUID recent = trigger(manualHttpSet(), "[{\"id\":30}]");
    runNode(commands, recent);
    sql("UPDATE execution SET wake_at = NULL WHERE id = $1", recent);

    Instant waitingWake = wakeAt(waiting);
    Instant holderWake = wakeAt(holder);
    JsonNode answer;
    List<ExtLogRecord> warnings;
    try (LogCapture logs = LogCapture.start()) {
      answer = housekeeping("stale");
      warnings =
          logs.records().stream()
              .filter(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
              .filter(r -> r.getLoggerName().endsWith("StaleWork"))
              .toList();
    }

    assertThat(answer.path("job").asText()).isEqualTo("stale");
    assertThat(answer.path("requeued").asInt()).isEqualTo(2);
    String logged =
        String.join("\n", warnings.stream().map(ExtLogRecord::getFormattedMessage).toList());
    assertThat(logged).contains(stuck.toString()).contains(forgotten.toString());
    assertThat(logged)
        .doesNotContain(waiting.toString())
        .doesNotContain(queued.toString())
        .doesNotContain(recent.toString());
    assertThat(wakeAt(waiting)).isEqualTo(waitingWake);
    assertThat(wakeAt(holder)).isEqualTo(holderWake);
    assertThat(wakeAt(queued)).isNull();
    assertThat(awaitStatus(queued, "created").path("status").asText()).isEqualTo("created");
    assertThat(wakeAt(recent)).isNull();

    // the sweeper moves them on: the lost command is sent again, the queued execution starts
    ExecutionCommandV1 again = runNode(commands, stuck);
    assertThat(again.nodeRunId()).isEqualTo(lost.nodeRunId());
    assertThat(again.commandId()).isNotEqualTo(lost.commandId());
    answer(again, items("[{\"price\":4,\"qty\":5}]"));
    assertThat(awaitStatus(stuck, "succeeded").at("/nodeRuns/2/output/main/0/total").asInt())
        .isEqualTo(20);
    answer(runNode(commands, forgotten), items("[{\"price\":1,\"qty\":1}]"));
    awaitStatus(forgotten, "succeeded");

    sql("UPDATE execution SET wake_at = now() WHERE id = $1", recent); // give it its timer back
  }

  // --------------------------------------------------------------------------- usage

  @Test
  void usageIsRolledUpPerWorkspaceWorkflowAndHourIdempotentlyEvenAfterDeletion() {
    TestWorkflow orders = manualHttpSet();
    UUID a1 = trigger(orders, "[{\"id\":1}]");
    answer(runNode(commands, a1), items("[{\"price\":1,\"qty\":1}]"));
    UUID a2 = trigger(orders, "[{\"id\":2}]");
    answer(runNode(commands, a2), items("[{\"price\":1,\"qty\":2}]"));
    UUID a3 = trigger(orders, "[{\"id\":3}]");
    answer(runNode(commands, a3), NodeOutcome.failure("HTTP 400", "node", false));
    TestWorkflow cancelled = manualHttpSet();
    UUID b1 = trigger(cancelled, "[{\"id\":4}]");
    runNode(commands, b1);
    awaitStatus(b1, "running");
    given()
        .auth()
        .oauth2(editor())
        .post("/api/v1/executions/" + b1 + "/cancel")
        .then()
        .statusCode(200);
    TestWorkflow slow = manualHttpSet();
    slow.settings.put("executionTimeoutSeconds", 1);
    UUID c1 = trigger(slow, "[{\"id\":5}]");
    runNode(commands, c1);

    Map<UUID, Integer> nodeRunCount = new HashMap<>();
    for (UUID id : List.of(a1, a2)) {
      nodeRunCount.put(id, awaitStatus(id, "succeeded").path("nodeRunCount").asInt());
    }
    nodeRunCount.put(a3, awaitStatus(a3, "failed").path("nodeRunCount").asInt());
    nodeRunCount.put(b1, awaitStatus(b1, "cancelled").path("nodeRunCount").asInt());
    nodeRunCount.put(c1, awaitStatus(c1, "timed_out").path("nodeRunCount").asInt());
    assertThat(nodeRunCount.get(a1)).isEqualTo(3);

    // all of them finished in one complete hour three hours ago, with known durations
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
    finishedAt(a1, hour.plusSeconds(300), 1000);
    finishedAt(a2, hour.plusSeconds(600), 2000);
    finishedAt(a3, hour.plusSeconds(900), 500);
    finishedAt(b1, hour.plusSeconds(1200), 250);
    finishedAt(c1, hour.plusSeconds(3599), 4000);

    JsonNode first = housekeeping("usage");
    assertThat(first.path("job").asText()).isEqualTo("usage");
    assertThat(first.path("hours").asInt()).isEqualTo(24); // the first run: the last 24 hours
    assertThat(first.path("rows").asInt()).isGreaterThanOrEqualTo(3);
    assertThat(Instant.parse(first.path("to").asText()))
        .isEqualTo(Instant.parse(first.path("from").asText()).plus(Duration.ofHours(24)));

    Map<UUID, JsonNode> rows = usageOf(hour);
    assertThat(rows)
        .containsOnlyKeys(orders.workflowId(), cancelled.workflowId(), slow.workflowId());
    JsonNode a = rows.get(orders.workflowId());
    assertThat(a.path("workspaceId").asText()).isEqualTo(WORKSPACE.toString());
    assertThat(Instant.parse(a.path("hour").asText())).isEqualTo(hour);
    assertThat(a.path("executions").asLong()).isEqualTo(3);
    assertThat(a.path("succeeded").asLong()).isEqualTo(2);
    assertThat(a.path("failed").asLong()).isEqualTo(1);
    assertThat(a.path("cancelled").asLong()).isZero();
    assertThat(a.path("timedOut").asLong()).isZero();
    assertThat(a.path("nodeRuns").asLong())
        .isEqualTo(nodeRunCount.get(a1) + nodeRunCount.get(a2) + nodeRunCount.get(a3));
    assertThat(a.path("durationMsTotal").asLong()).isEqualTo(3500);
    JsonNode b = rows.get(cancelled.workflowId());
    assertThat(b.path("executions").asLong()).isEqualTo(1);
    assertThat(b.path("cancelled").asLong()).isEqualTo(1);
    assertThat(b.path("durationMsTotal").asLong()).isEqualTo(250);
    JsonNode c = rows.get(slow.workflowId());
    assertThat(c.path("timedOut").asLong()).isEqualTo(1);
    assertThat(c.path("nodeRuns").asLong()).isEqualTo(nodeRunCount.get(c1).longValue());
    assertThat(c.path("durationMsTotal").asLong()).isEqualTo(4000);

    // the watermark: the next run continues where this one stopped
    JsonNode second = housekeeping("usage");
    assertThat(second.path("from").asText()).isEqualTo(first.path("to").asText());
    assertThat(usageOf(hour)).isEqualTo(rows);

    // recomputing the hour gives the same numbers, also once its executions are deleted
    JsonNode again = housekeeping("usage?from=" + hour.plusSeconds(1800));
    assertThat(again.path("from").asText()).isEqualTo(hour.toString());
    assertThat(again.path("hours").asLong())
        .isEqualTo(Duration.between(hour, Instant.parse(again.path("to").asText())).toHours())
        .isPositive();
    assertThat(usageOf(hour)).isEqualTo(rows);
    for (UUID id : List.of(a1, a2, a3, b1, c1)) {
      given().auth().oauth2(editor()).delete("/api/v1/executions/" + id).then().statusCode(204);
    }
    housekeeping("usage?from=" + hour);
    assertThat(usageOf(hour)).isEqualTo(rows);

    // pages of one row follow each other in (hour, workspace, workflow) order
    List<String> workflows = new ArrayList<>();
    String cursor = null;
    do {
      var request =
          given()
              .auth()
              .oauth2(usageReader())
              .queryParam("workspaceId", WORKSPACE.toString())
              .queryParam("from", hour.toString())
              .queryParam("to", hour.plus(Duration.ofHours(1)).toString())
              .queryParam("limit", 1);
      if (cursor != null) {
        request = request.queryParam("cursor", cursor);
      }
      JsonNode page =
          request.get("/internal/v1/usage").then().statusCode(200).extract().as(JsonNode.class);
      assertThat(page.path("items")).hasSizeLessThanOrEqualTo(1);
      page.path("items").forEach(item -> workflows.add(item.path("workflowId").asText()));
      cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
    } while (cursor != null);
    assertThat(workflows).hasSize(3).isSorted().doesNotHaveDuplicates();
  }

  // --------------------------------------------------------------------------- security

  @Test
  void onlyServiceTokensWithTheScopeMayRunJobsOrReadUsage() {
    String person = token(Roles.OWNER);
    String otherService =
        TestIssuer.get()
            .builder()
            .subject("service:execution")
            .workspace(null)
            .scope(Scopes.WORKFLOW_VERSIONS_READ)
            .sign();
    for (String job : List.of("retention", "stale", "usage")) {
      given().post("/internal/v1/housekeeping/" + job).then().statusCode(401);
      given()
          .auth()
          .oauth2(person)
          .post("/internal/v1/housekeeping/" + job)
          .then()
          .statusCode(403)
          .contentType("application/problem+json");
      given()
          .auth()
          .oauth2(otherService)
          .post("/internal/v1/housekeeping/" + job)
          .then()
          .statusCode(403);
      given()
          .auth()
          .oauth2(usageReader())
          .post("/internal/v1/housekeeping/" + job)
          .then()
          .statusCode(403);
    }
    given().auth().oauth2(person).get("/internal/v1/usage").then().statusCode(403);
    given().auth().oauth2(otherService).get("/internal/v1/usage").then().statusCode(403);
    given().auth().oauth2(usageReader()).get("/internal/v1/usage").then().statusCode(200);
    given().auth().oauth2(housekeeper()).get("/internal/v1/usage").then().statusCode(200);

    given()
        .auth()
        .oauth2(housekeeper())
        .post("/internal/v1/housekeeping/vacuum")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("detail", containsString("retention"));
    given()
        .auth()
        .oauth2(housekeeper())
        .post("/internal/v1/housekeeping/usage?from=yesterday")
        .then()
        .statusCode(400)
        .body("errors[0].pointer", equalTo("from"));
    given()
        .auth()
        .oauth2(usageReader())
        .queryParam("from", "2026-01-02T00:00:00Z")
        .queryParam("to", "2026-01-01T00:00:00Z")
        .get("/internal/v1/usage")
        .then()
        .statusCode(400)
        .body("errors[0].pointer", equalTo("from"));
  }

  // --------------------------------------------------------------------------- helpers

  static TestWorkflow manualSet() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("s", "set", SET);
    wf.edge("t", "s");
    return wf;
  }

  static TestWorkflow manualHttpSet() {
    TestWorkflow wf = new TestWorkflow();
    wf.node("t", "manualTrigger", "{}");
    wf.node("h", "httpRequest", HTTP);
    wf.node("s", "set", SET);
    wf.edge("t", "h").edge("h", "s");
    return wf;
  }

  /** schedule-service's token: the client {@code schedule} with housekeeping:run. */
  static String housekeeper() {
    return TestIssuer.get()
        .builder()
        .subject("service:schedule")
        .workspace(null)
        .scope(Scopes.HOUSEKEEPING_RUN)
        .sign();
  }

  /** A reader of usage rollups (billing, analytics). */
  static String usageReader() {
    return TestIssuer.get()
        .builder()
        .subject("service:billing")
        .workspace(null)
        .scope(Scopes.USAGE_READ)
        .sign();
  }

  static JsonNode housekeeping(String jobAndQuery) {
    return given()
        .auth()
        .oauth2(housekeeper())
        .post("/internal/v1/housekeeping/" + jobAndQuery)
        .then()
        .statusCode(200)
        .extract()
        .as(JsonNode.class);
  }

  /** The usage rows of {@code hour} in the test workspace, by workflow. */
  static Map<UUID, JsonNode> usageOf(Instant hour) {
    JsonNode page =
        given()
            .auth()
            .oauth2(usageReader())
            .queryParam("workspaceId", WORKSPACE.toString())
            .queryParam("from", hour.toString())
            .queryParam("to", hour.plus(Duration.ofHours(1)).toString())
            .get("/internal/v1/usage")
            .then()
            .statusCode(200)
            .extract()
            .as(JsonNode.class);
    assertThat(page.path("nextCursor").isNull() || page.path("nextCursor").isMissingNode())
        .isTrue();
    Map<UUID, JsonNode> byWorkflow = new HashMap<>();
    page.path("items")
        .forEach(item -> byWorkflow.put(UUID.fromString(item.path("workflowId").asText()), item));
    return byWorkflow;
  }

  int sql(String statement, Object... args) {
    RowSet<Row> rows = pool.preparedQuery(statement).execute(Tuple.from(args)).await().atMost(WAIT);
    return rows.rowCount();
  }

  /** The execution and its node runs as if everything so far happened 20 minutes earlier. */
  void backdate(UUID id) {
    sql(
        "UPDATE execution SET created_at = created_at - interval '20 minutes', started_at ="
            + " started_at - interval '20 minutes' WHERE id = $1",
        id);
    sql(
        "UPDATE node_run SET started_at = started_at - interval '20 minutes', finished_at ="
            + " finished_at - interval '20 minutes' WHERE execution_id = $1",
        id);
  }

  /** Moves a finished execution to finish at {@code end} after running {@code millis}. */
  void finishedAt(UUID id, Instant end, long millis) {
    int changed =
        sql(
            "UPDATE execution SET finished_at = $2, created_at = $3, started_at = $3 WHERE id ="
                + " $1 AND finished_at IS NOT NULL",
            id,
            end.atOffset(java.time.ZoneOffset.UTC),
            end.minusMillis(millis).atOffset(java.time.ZoneOffset.UTC));
    assertThat(changed).isEqualTo(1);
  }

  Instant wakeAt(UUID id) {
    var t =
        pool.preparedQuery("SELECT wake_at FROM execution WHERE id = $1")
            .execute(Tuple.of(id))
            .await()
            .atMost(WAIT)
            .iterator()
            .next()
            .getOffsetDateTime("wake_at");
    return t == null ? null : t.toInstant();
  }

  long nodeRuns(List<UUID> executions) {
    return pool.preparedQuery("SELECT count(*) FROM node_run WHERE execution_id = ANY($1)")
        .execute(Tuple.of(executions.toArray(new UUID[0])))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }
}
