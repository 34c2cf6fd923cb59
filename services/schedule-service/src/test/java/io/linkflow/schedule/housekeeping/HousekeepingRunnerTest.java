package io.linkflow.schedule.housekeeping;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.linkflow.security.Roles;
import io.linkflow.testing.LogCapture;
import io.linkflow.testing.RealInfrastructure;
import io.linkflow.testing.TestIssuer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.ScheduledExecution;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The housekeeping runner against real PostgreSQL: one run per slot across replicas, the calls to
 * execution-service (a local stand-in) with the service token, failures recorded, metrics and the
 * log line, the timers' crons and slots, and the operator endpoint.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_schedule")
class HousekeepingRunnerTest {

  static final Duration WAIT = Duration.ofSeconds(30);
  static FakeExecutionService execution;

  @Inject HousekeepingRunner runner;
  @Inject HousekeepingSchedule schedule;
  @Inject Scheduler scheduler;
  @Inject MeterRegistry meters;

  /**
   * Slots of this test class: a minute apart, from two days ago on (runs are kept 30 days), at half
   * past a second, where no cron fires.
   */
  static final AtomicLong slots =
      new AtomicLong(
          Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2)).toEpochMilli()
              + 500);

  static Instant nextSlot() {
    return Instant.ofEpochMilli(slots.addAndGet(60_000));
  }

  @BeforeAll
  static void start() {
    execution = FakeExecutionService.get();
  }

  @Test
  void aSlotRunsOnceEvenWhenTwoReplicasRaceForIt() {
    Instant slot = nextSlot();
    int before = execution.callsOf("stale").size();
    // a slow answer, so both replicas are inside run() at the same time
    execution.answer("stale", 200, "{\"job\":\"stale\",\"requeued\":2,\"durationMs\":400}", 400);
    execution.answer("stale", 200, "{\"job\":\"stale\",\"requeued\":2,\"durationMs\":400}", 400);
    HousekeepingRunner other = runner.asReplica("replica-b");

    List<Optional<HousekeepingRuns.Run>> both =
        Uni.join()
            .all(runner.run("stale", slot, "schedule"), other.run("stale", slot, "schedule"))
            .andFailFast()
            .await()
            .atMost(WAIT);

    assertThat(both).filteredOn(Optional::isPresent).hasSize(1);
    HousekeepingRuns.Run run = both.stream().flatMap(Optional::stream).findFirst().orElseThrow();
    assertThat(run.job()).isEqualTo("stale");
    assertThat(run.slot()).isEqualTo(slot);
    assertThat(run.outcome()).isEqualTo("succeeded");
    assertThat(run.items()).isEqualTo(2L);
    assertThat(run.replica()).isIn(runner.replica(), "replica-b");
    assertThat(run.finishedAt()).isAfterOrEqualTo(run.startedAt());
    assertThat(execution.callsOf("stale")).hasSize(before + 1);
    // the slot stays done: a late replica, or the same one again, does nothing
    assertThat(other.run("stale", slot, "schedule").await().atMost(WAIT)).isEmpty();
    assertThat(execution.callsOf("stale")).hasSize(before + 1);
    // the next slot runs
    assertThat(runner.run("stale", nextSlot(), "schedule").await().atMost(WAIT)).isPresent();
  }

  @Test
  void retentionStaleAndUsageCallExecutionServiceWithTheScheduleServiceToken() {
    int before = execution.calls.size();
    double deletedBefore = items("retention", "deleted");
    double retentionRuns = runs("retention", "succeeded");
    execution.answer(
        "retention",
        200,
        "{\"job\":\"retention\",\"deleted\":500,\"durationMs\":60000,\"more\":true}",
        0);
    execution.answer(
        "retention",
        200,
        "{\"job\":\"retention\",\"deleted\":7,\"durationMs\":90,\"more\":false}",
        0);
    execution.answer("stale", 200, "{\"job\":\"stale\",\"requeued\":3,\"durationMs\":5}", 0);
    execution.answer(
        "usage",
        200,
        "{\"job\":\"usage\",\"hours\":24,\"rows\":40,\"from\":\"2026-03-01T00:00:00Z\","
            + "\"to\":\"2026-03-02T00:00:00Z\",\"durationMs\":80,\"more\":false}",
        0);

    HousekeepingRuns.Run retention = runNow("retention");
    HousekeepingRuns.Run stale = runNow("stale");
    HousekeepingRuns.Run usage = runNow("usage");

    // retention answered "more" once: called again in the same run
    assertThat(retention.outcome()).isEqualTo("succeeded");
    assertThat(retention.items()).isEqualTo(507L);
    assertThat(retention.detail()).contains("deleted 507 executions");
    assertThat(stale.items()).isEqualTo(3L);
    assertThat(stale.detail()).contains("re-queued 3");
    assertThat(usage.items()).isEqualTo(40L);
    assertThat(usage.detail()).contains("24 hours").contains("2026-03-01T00:00:00Z");
    List<FakeExecutionService.Call> calls = execution.calls.subList(before, execution.calls.size());
    assertThat(calls)
        .extracting(FakeExecutionService.Call::job)
        .containsExactly("retention", "retention", "stale", "usage");
    assertThat(calls)
        .allSatisfy(
            call -> {
              assertThat(call.subject()).isEqualTo("service:schedule");
              assertThat(call.scope().split(" ")).contains("housekeeping:run");
            });

    assertThat(items("retention", "deleted") - deletedBefore).isEqualTo(507.0);
    assertThat(runs("retention", "succeeded") - retentionRuns).isEqualTo(1.0);
    assertThat(
            meters
                .get("housekeeping.last.success.timestamp.seconds")
                .tag("job", "usage")
                .gauge()
                .value())
        .isGreaterThanOrEqualTo(Instant.now().minusSeconds(60).getEpochSecond());
    assertThat(meters.get("housekeeping.run.duration").tag("job", "stale").timer().count())
        .isPositive();
    String metrics = given().get("/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("housekeeping_runs_total{job=\"retention\",outcome=\"succeeded\"}")
        .contains("housekeeping_items_total{job=\"retention\",kind=\"deleted\"}")
        .contains("housekeeping_run_duration_seconds_count{job=\"stale\"}")
        .contains("housekeeping_last_success_timestamp_seconds{job=\"usage\"}")
        .contains("dead_letter_queue_size ");
  }

  @Test
  void aFailingCallIsRecordedAsFailedLoggedAtErrorAndTheNextSlotRunsAgain() {
    double failedBefore = runs("usage", "failed");
    execution.answer(
        "usage", 503, "{\"status\":503,\"detail\":\"the database is in recovery mode\"}", 0);
    Instant slot = nextSlot();
    HousekeepingRuns.Run failed;
    List<ExtLogRecord> errors;
    try (LogCapture logs = LogCapture.start()) {
      failed = runner.run("usage", slot, "schedule").await().atMost(WAIT).orElseThrow();
      errors =
          logs.records().stream()
              .filter(r -> r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
              .filter(r -> r.getLoggerName().endsWith("HousekeepingRunner"))
              .toList();
    }

    assertThat(failed.outcome()).isEqualTo("failed");
    assertThat(failed.detail())
        .contains("execution-service answered HTTP 503")
        .contains("the database is in recovery mode");
    assertThat(failed.finishedAt()).isNotNull();
    assertThat(errors)
        .extracting(ExtLogRecord::getFormattedMessage)
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains("job=usage")
                    .contains("slot=" + slot)
                    .contains("outcome=failed")
                    .contains("HTTP 503"));
    assertThat(runs("usage", "failed") - failedBefore).isEqualTo(1.0);
    // stored as it was reported
    JsonNode stored = listedRun("usage", slot);
    assertThat(stored.path("outcome").asText()).isEqualTo("failed");
    assertThat(stored.path("detail").asText()).isEqualTo(failed.detail());
    assertThat(stored.path("trigger").asText()).isEqualTo("schedule");

    // not retried within the slot; the next slot runs (and succeeds)
    HousekeepingRuns.Run next =
        runner.run("usage", nextSlot(), "schedule").await().atMost(WAIT).orElseThrow();
    assertThat(next.outcome()).isEqualTo("succeeded");
  }

  @Test
  void theTimersFireOnTheirCronsAndTheScheduledFireTimeIsTheSlot() {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    Trigger retention = scheduler.getScheduledJob("housekeeping-retention");
    Trigger dlq = scheduler.getScheduledJob("housekeeping-dlq");
    Trigger stale = scheduler.getScheduledJob("housekeeping-stale");
    Trigger usage = scheduler.getScheduledJob("housekeeping-usage");
    assertThat(List.of(retention, dlq, stale, usage)).doesNotContainNull();
    ZonedDateTime r = retention.getNextFireTime().atZone(ZoneOffset.UTC);
    assertThat(r.getHour()).isEqualTo(3);
    assertThat(r.getMinute()).isZero();
    assertThat(Duration.between(now, r)).isLessThanOrEqualTo(Duration.ofDays(1));
    ZonedDateTime d = dlq.getNextFireTime().atZone(ZoneOffset.UTC);
    assertThat(d.getMinute() % 10).isZero();
    assertThat(d.getSecond()).isZero();
    assertThat(Duration.between(now, d)).isLessThanOrEqualTo(Duration.ofMinutes(10));
    ZonedDateTime s = stale.getNextFireTime().atZone(ZoneOffset.UTC);
    assertThat(s.getMinute() % 5).isZero();
    assertThat(Duration.between(now, s)).isLessThanOrEqualTo(Duration.ofMinutes(5));
    ZonedDateTime u = usage.getNextFireTime().atZone(ZoneOffset.UTC);
    assertThat(u.getMinute()).isEqualTo(5);
    assertThat(Duration.between(now, u)).isLessThanOrEqualTo(Duration.ofHours(1));

    // two replicas woke at slightly different moments for the same scheduled fire: one run
    Instant scheduled = nextSlot().truncatedTo(ChronoUnit.SECONDS);
    int before = execution.callsOf("stale").size();
    schedule.fire("stale", fired(scheduled, scheduled.plusMillis(120))).await().atMost(WAIT);
    schedule.fire("stale", fired(scheduled, scheduled.plusMillis(870))).await().atMost(WAIT);
    assertThat(execution.callsOf("stale")).hasSize(before + 1);
    JsonNode run = listedRun("stale", scheduled);
    assertThat(run.path("trigger").asText()).isEqualTo("schedule");
    assertThat(run.path("outcome").asText()).isEqualTo("succeeded");
  }

  @Test
  void operatorsRunAJobNowWithAServiceTokenThatHasHousekeepingRun() {
    int before = execution.callsOf("stale").size();
    given()
        .auth()
        .oauth2(operator())
        .post("/internal/v1/housekeeping/stale/run")
        .then()
        .statusCode(200)
        .body("job", equalTo("stale"))
        .body("trigger", equalTo("manual"))
        .body("outcome", equalTo("succeeded"))
        .body("replica", equalTo(runner.replica()));
    assertThat(execution.callsOf("stale")).hasSize(before + 1);

    given().post("/internal/v1/housekeeping/stale/run").then().statusCode(401);
    given()
        .auth()
        .oauth2(TestIssuer.get().token(UUID.randomUUID(), UUID.randomUUID(), Roles.OWNER))
        .post("/internal/v1/housekeeping/stale/run")
        .then()
        .statusCode(403)
        .contentType("application/problem+json");
    given()
        .auth()
        .oauth2(serviceToken("workflow-versions:read"))
        .post("/internal/v1/housekeeping/stale/run")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(TestIssuer.get().token(UUID.randomUUID(), UUID.randomUUID(), Roles.OWNER))
        .get("/internal/v1/housekeeping/runs")
        .then()
        .statusCode(403);
    given()
        .auth()
        .oauth2(operator())
        .post("/internal/v1/housekeeping/vacuum/run")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("detail", containsString("retention"));
    assertThat(execution.callsOf("stale")).hasSize(before + 1);
  }

  // --------------------------------------------------------------------------- helpers

  /** The operator client's token (housekeeping:run). */
  static String operator() {
    return serviceToken("signing-keys:rotate secrets:rewrap housekeeping:run usage:read");
  }

  static String serviceToken(String scope) {
    return TestIssuer.get()
        .builder()
        .subject("service:operator")
        .workspace(null)
        .scope(scope)
        .sign();
  }

  /** The run of {@code job} for {@code slot} as GET /internal/v1/housekeeping/runs lists it. */
  static JsonNode listedRun(String job, Instant slot) {
    JsonNode page =
        given()
            .auth()
            .oauth2(operator())
            .queryParam("job", job)
            .queryParam("limit", 100)
            .get("/internal/v1/housekeeping/runs")
            .then()
            .statusCode(200)
            .extract()
            .as(JsonNode.class);
    for (JsonNode item : page.path("items")) {
      if (slot.equals(Instant.parse(item.path("slot").asText()))) {
        return item;
      }
    }
    throw new AssertionError("no run of " + job + " for " + slot + " in " + page);
  }

  HousekeepingRuns.Run runNow(String job) {
    return runner.run(job, nextSlot(), "manual").await().atMost(WAIT).orElseThrow();
  }

  double runs(String job, String outcome) {
    Counter c = meters.find("housekeeping.runs").tag("job", job).tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  double items(String job, String kind) {
    Counter c = meters.find("housekeeping.items").tag("job", job).tag("kind", kind).counter();
    return c == null ? 0 : c.count();
  }

  /** A fire of a timer scheduled for {@code scheduled} that woke up at {@code woke}. */
  static ScheduledExecution fired(Instant scheduled, Instant woke) {
    return new ScheduledExecution() {
      @Override
      public Trigger getTrigger() {
        return null;
      }

      @Override
      public Instant getFireTime() {
        return woke;
      }

      @Override
      public Instant getScheduledFireTime() {
        return scheduled.plus(37, ChronoUnit.MILLIS); // a scheduler's sub-second jitter
      }
    };
  }
}
