package io.linkflow.schedule;

import static io.linkflow.schedule.ScheduleTestSupport.WAIT;
import static io.linkflow.schedule.ScheduleTestSupport.await;
import static io.linkflow.schedule.ScheduleTestSupport.createOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.linkflow.schedule.ScheduleTestSupport.Fired;
import io.linkflow.schedule.ScheduleTestSupport.Fires;
import io.linkflow.schedule.firing.LeaderLease;
import io.linkflow.schedule.firing.ScheduleMetrics;
import io.linkflow.schedule.firing.Scheduler;
import io.linkflow.schedule.firing.SchedulerRunner;
import io.linkflow.testing.RealInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leader election with fencing on the real database: several scheduler instances in this JVM, each
 * with its own holder id, compete for the one lease. The application's own scheduler is stopped
 * meanwhile (it gives its lease up) and started again afterwards.
 */
@QuarkusTest
@RealInfrastructure(database = "linkflow_schedule")
class LeadershipTest {

  static Fires fires;

  @Inject SchedulerRunner runner;
  @Inject Pool pool;

  private final UUID workspace = UUID.randomUUID();
  private final UUID workflow = UUID.randomUUID();
  private final List<Scheduler> started = new ArrayList<>();

  @BeforeAll
  static void watch() {
    fires = new Fires();
  }

  @AfterAll
  static void close() {
    fires.close();
  }

  @BeforeEach
  void stopTheApplicationsScheduler() {
    runner.stop();
  }

  @AfterEach
  void restoreTheApplicationsScheduler() {
    for (Scheduler s : started) {
      s.stop();
    }
    pool.preparedQuery("DELETE FROM schedule WHERE workspace_id = $1")
        .execute(Tuple.of(workspace))
        .await()
        .indefinitely();
    runner.start();
  }

  private Scheduler instance(String holder, Scheduler.Settings settings) {
    Scheduler s =
        runner.newScheduler(
            holder + "-" + UUID.randomUUID().toString().substring(0, 6),
            settings,
            new ScheduleMetrics(new SimpleMeterRegistry()));
    started.add(s);
    return s;
  }

  private LeaderLease.State lease() {
    return pool.withConnection(c -> new LeaderLease(LeaderLease.SCHEDULER).read(c))
        .await()
        .indefinitely()
        .orElseThrow();
  }

  private Instant nextFireAt(UUID id) {
    return pool.preparedQuery("SELECT next_fire_at FROM schedule WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.iterator().next().getOffsetDateTime("next_fire_at").toInstant())
        .await()
        .indefinitely();
  }

  @Test
  void aStandbyNeverFiresAndAStaleLeaderIsFencedOff() {
    Scheduler.Settings settings = runner.settings();
    Scheduler first = instance("first", settings);
    Scheduler second = instance("second", settings);
    UUID id =
        createOk(
            workspace,
            "{\"name\":\"t\",\"workflowId\":\"" + workflow + "\",\"intervalSeconds\":1}");

    assertThat(first.renew()).isTrue();
    long firstToken = first.token().orElseThrow();
    assertThat(lease().holder()).isEqualTo(first.holder());
    assertThat(second.renew()).as("the lease is taken").isFalse();
    assertThat(second.isLeader()).isFalse();
    await("the schedule due", WAIT, () -> nextFireAt(id).isBefore(Instant.now()));
    assertThat(second.tick().leader()).as("a standby does not tick").isFalse();
    assertThat(second.tick(firstToken).fenced()).as("another holder's token is refused").isTrue();

    // the first leader stalls past its lease (a long GC pause, a network partition) ...
    pool.query("UPDATE leader_lease SET expires_at = now() - interval '1 second'")
        .execute()
        .await()
        .indefinitely();
    // ... and the second takes over with a new token
    assertThat(second.renew()).isTrue();
    long secondToken = second.token().orElseThrow();
    assertThat(secondToken).isEqualTo(firstToken + 1);
    assertThat(lease().token()).isEqualTo(secondToken);

    // the first wakes up still believing it leads: its tick is fenced off, nothing fires
    Instant due = nextFireAt(id);
    Scheduler.TickResult stale = first.tick(firstToken);
    assertThat(stale.fenced()).isTrue();
    assertThat(stale.fired()).isZero();
    assertThat(first.isLeader()).isFalse();
    assertThat(first.metrics().leaderChanges("lost")).isEqualTo(1);
    assertThat(nextFireAt(id)).isEqualTo(due);
    fires.read(Duration.ofSeconds(1));
    assertThat(fires.of(workflow)).as("nothing published by the stale leader").isEmpty();
    assertThat(first.metrics().fires("fired")).isZero();

    // the new leader fires what is due
    Scheduler.TickResult tick = second.tick();
    assertThat(tick.leader()).isTrue();
    assertThat(tick.fired()).isPositive();
    assertThat(fires.await(workflow, tick.fired(), WAIT)).hasSize(tick.fired());
    assertThat(second.metrics().fires("fired")).isEqualTo(tick.fired());
    // renewing keeps the token
    assertThat(second.renew()).isTrue();
    assertThat(second.token().orElseThrow()).isEqualTo(secondToken);
  }

  @Test
  void aStandbyTakesOverACrashedLeaderWithinFifteenSecondsAndNoFireTimeIsPublishedTwice() {
    // production timing: a 10 s lease renewed every 2 s, a tick a second, 30 s grace
    Scheduler.Settings production = Scheduler.Settings.defaults();
    Scheduler leader = instance("leader", production);
    Scheduler standby = instance("standby", production);
    UUID id =
        createOk(
            workspace,
            "{\"name\":\"every second\",\"workflowId\":\""
                + workflow
                + "\",\"cron\":\"* * * * * *\"}");
    leader.start();
    await("the first instance leads", WAIT, leader::isLeader);
    standby.start();
    fires.await(workflow, 3, WAIT);
    assertThat(standby.isLeader()).isFalse();
    assertThat(standby.metrics().fires("fired")).as("a standby never fires").isZero();
    assertThat(lease().holder()).isEqualTo(leader.holder());

    // crash: renewals and ticks stop, the lease is not given up
    Instant crashed = Instant.now();
    leader.halt();
    await("the standby leads", Duration.ofSeconds(15), standby::isLeader);
    Duration takeover = Duration.between(crashed, Instant.now());
    assertThat(takeover).isLessThan(Duration.ofSeconds(15));
    assertThat(lease().holder()).isEqualTo(standby.holder());
    assertThat(standby.metrics().leaderChanges("acquired")).isEqualTo(1);

    // let the new leader fire a few seconds' worth, then stop it
    Instant tookOver = Instant.now();
    await(
        "fires after the takeover",
        WAIT,
        () ->
            fires.of(workflow).stream()
                .anyMatch(f -> f.scheduledAt().isAfter(tookOver.plusSeconds(2))));
    standby.stop();
    fires.read(Duration.ofSeconds(1));
    List<Fired> all = fires.of(workflow);

    Set<UUID> executionIds =
        all.stream().map(f -> f.request().executionId()).collect(Collectors.toSet());
    assertThat(executionIds)
        .as("one execution id per record: nothing published twice")
        .hasSize(all.size());
    List<Instant> slots = all.stream().map(Fired::scheduledAt).sorted().toList();
    assertThat(slots).doesNotHaveDuplicates();
    for (int i = 1; i < slots.size(); i++) {
      assertThat(Duration.between(slots.get(i - 1), slots.get(i)))
          .as("no fire time lost around " + slots.get(i))
          .isEqualTo(Duration.ofSeconds(1));
    }
    assertThat(standby.metrics().fires("fired"))
        .as("the fire times owed during the takeover were fired late, not lost")
        .isGreaterThanOrEqualTo(Duration.between(crashed, tookOver).toSeconds() - 1);
    System.out.printf(
        "failover: takeover after %d ms; %d fires (%d by the first leader, %d by the standby)%n",
        takeover.toMillis(),
        all.size(),
        (long) leader.metrics().fires("fired"),
        (long) standby.metrics().fires("fired"));
  }
}
