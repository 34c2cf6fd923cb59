package io.linkflow.events.outbox;

import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.payload.WorkflowDeactivatedV1;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * The service process {@link OutboxRelayCrashTest} kills: commits a widget and its outbox event in
 * one transaction, then relays the outbox until {@link OutboxRelay#crashPoint} reaches the point
 * named on the command line, where it prints {@code AT <point>} and blocks until it is killed.
 *
 * <p>Arguments: {@code <reactive pg url> <kafka bootstrap servers> <widget id> <crash point>}.
 */
public final class RelayCrashChild {

  static final String MARKER = "CRASH-CHILD ";

  private RelayCrashChild() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String bootstrapServers = args[1];
    UUID widget = UUID.fromString(args[2]);
    String crashAt = args[3];

    Vertx vertx = Vertx.vertx();
    Pool pool =
        Pool.newInstance(
            PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(2))
                .connectingTo(PgConnectOptions.fromUri(url))
                .using(vertx.getDelegate())
                .build());

    Outbox outbox = new Outbox("events-test");
    EventEnvelope event =
        pool.withTransaction(
                tx ->
                    tx.preparedQuery("INSERT INTO widget (id, name) VALUES ($1, 'crashed')")
                        .execute(Tuple.of(widget))
                        .flatMap(
                            ignored ->
                                outbox.append(
                                    tx,
                                    EventTypes.WORKFLOW_DEACTIVATED_V1,
                                    widget.toString(),
                                    "ws-crash",
                                    new WorkflowDeactivatedV1(widget, widget))))
            .await()
            .atMost(Duration.ofSeconds(30));
    say("COMMITTED " + event.id());

    OutboxRelay.crashPoint =
        point -> {
          if (point.equals(crashAt)) {
            say("AT " + point);
            blockUntilKilled();
          }
        };
    OutboxRelay relay =
        new OutboxRelay(
            () -> pool,
            new SimpleMeterRegistry(),
            true,
            Duration.ofMillis(50),
            200,
            bootstrapServers,
            "events-test");
    relay.relayOnce();
    // Reaching this line means the crash point was never hit: the test fails on this marker.
    say("RELAYED WITHOUT CRASHING");
    System.exit(3);
  }

  private static void say(String line) {
    System.out.println(MARKER + line);
    System.out.flush();
  }

  private static void blockUntilKilled() {
    CountDownLatch never = new CountDownLatch(1);
    while (true) {
      try {
        never.await();
      } catch (InterruptedException ignored) {
        // Only SIGKILL ends this process.
      }
    }
  }
}
