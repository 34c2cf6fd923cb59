package io.linkflow.events.outbox;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox to Kafka: in one database transaction it takes an advisory lock (so one
 * replica relays at a time and per-aggregate order holds), reads a batch in commit order, sends it
 * with {@code acks=all} and idempotence, waits for every acknowledgement and only then deletes the
 * rows. A crash between send and delete publishes a batch again: delivery is at-least-once and
 * consumers deduplicate on the CloudEvents id ({@link io.linkflow.events.inbox.Inbox}).
 */
@ApplicationScoped
public class OutboxRelay {

  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

  /** Advisory lock key of the relay ("LFOUTBOX" in ASCII, as a bigint). */
  static final long LOCK_KEY = 0x4c464f5554424f58L;

  static final String SELECT_SQL =
      "SELECT id, topic, event_key, type, source, subject, occurred_at, workspace_id,"
          + " traceparent, tracestate, data FROM outbox_event ORDER BY seq LIMIT $1";

  /**
   * Test seam, a no-op in production: called with {@code "before-send"} once a batch is read (its
   * events committed, nothing sent yet) and with {@code "before-commit"} once Kafka acknowledged
   * the batch and its DELETE ran, uncommitted. OutboxRelayCrashTest blocks there and kills the JVM.
   */
  static volatile Consumer<String> crashPoint = point -> {};

  /** How long after a commit the relay runs: gathers concurrent commits into one batch. */
  static final long NUDGE_DELAY_MS = 3;

  private final Supplier<Pool> pool;
  private final boolean enabled;
  private final Duration pollInterval;
  private final int batchSize;
  private final String bootstrapServers;
  private final String clientId;
  private final Counter published;
  private final Counter failures;
  private ScheduledExecutorService executor;
  private KafkaProducer<String, byte[]> producer;
  private volatile boolean running;
  private volatile boolean nudged;
  private java.util.concurrent.ScheduledFuture<?> pending; // only used on the relay thread
  private Duration backoff;

  @Inject
  public OutboxRelay(
      Instance<Pool> pool,
      MeterRegistry registry,
      @ConfigProperty(name = "linkflow.outbox.enabled", defaultValue = "true") boolean enabled,
      @ConfigProperty(name = "linkflow.outbox.poll-interval", defaultValue = "200ms")
          Duration pollInterval,
      @ConfigProperty(name = "linkflow.outbox.batch-size", defaultValue = "200") int batchSize,
      @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
          String bootstrapServers,
      @ConfigProperty(name = "quarkus.application.name") String applicationName) {
    this(pool::get, registry, enabled, pollInterval, batchSize, bootstrapServers, applicationName);
  }

  /** Without CDI, e.g. in a process a test kills mid-relay. */
  OutboxRelay(
      Supplier<Pool> pool,
      MeterRegistry registry,
      boolean enabled,
      Duration pollInterval,
      int batchSize,
      String bootstrapServers,
      String applicationName) {
    this.pool = pool;
    this.enabled = enabled;
    this.pollInterval = pollInterval;
    this.batchSize = batchSize;
    this.bootstrapServers = bootstrapServers;
    this.clientId = applicationName + "-outbox";
    this.backoff = pollInterval;
    this.published =
        Counter.builder("outbox.events.published")
            .description("Events relayed from the outbox to Kafka")
            .register(registry);
    this.failures =
        Counter.builder("outbox.relay.failures")
            .description("Relay attempts that failed and will be retried")
            .register(registry);
  }

  void start(@Observes StartupEvent ignored) {
    if (!enabled) {
      LOG.info("Outbox relay disabled (linkflow.outbox.enabled=false)");
      return;
    }
    running = true;
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "outbox-relay");
              thread.setDaemon(true);
              return thread;
            });
    pending = executor.schedule(this::loop, 0, TimeUnit.MILLISECONDS);
    OutboxSignal.listen(this::nudge);
  }

  /**
   * Relays now instead of at the next poll: called when a transaction that wrote outbox events
   * commits, so events leave within milliseconds, not a poll interval.
   */
  public void nudge() {
    if (!running) {
      return;
    }
    nudged = true;
    try {
      executor.execute(
          () -> {
            // a few milliseconds' wait gathers the events of concurrent commits into one batch
            if (pending != null
                && !pending.isDone()
                && pending.getDelay(TimeUnit.MILLISECONDS) > NUDGE_DELAY_MS
                && pending.cancel(false)) {
              pending = executor.schedule(this::loop, NUDGE_DELAY_MS, TimeUnit.MILLISECONDS);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // shutting down
    }
  }

  void stop(@Observes ShutdownEvent ignored) {
    running = false;
    if (executor != null) {
      executor.shutdown();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }

  private void loop() {
    if (!running) {
      return;
    }
    Duration next = pollInterval;
    nudged = false;
    try {
      int relayed = relayOnce();
      backoff = pollInterval;
      if (relayed >= batchSize) {
        next = Duration.ZERO;
      }
    } catch (Exception e) {
      failures.increment();
      backoff = min(backoff.multipliedBy(2), Duration.ofSeconds(10));
      next = backoff;
      LOG.warnf("Outbox relay failed, retrying in %d ms: %s", next.toMillis(), rootMessage(e));
    }
    if (nudged && backoff.equals(pollInterval) && next.toMillis() > NUDGE_DELAY_MS) {
      next = Duration.ofMillis(NUDGE_DELAY_MS);
    }
    if (running) {
      pending = executor.schedule(this::loop, next.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Relays one batch; returns how many events were published (0 when another replica holds the lock
   * or the outbox is empty).
   */
  int relayOnce() throws Exception {
    SqlConnection connection = pool.get().getConnection().await().atMost(Duration.ofSeconds(10));
    Transaction tx = null;
    try {
      tx = connection.begin().await().atMost(Duration.ofSeconds(10));
      boolean locked =
          connection
              .preparedQuery("SELECT pg_try_advisory_xact_lock($1)")
              .execute(Tuple.of(LOCK_KEY))
              .await()
              .atMost(Duration.ofSeconds(10))
              .iterator()
              .next()
              .getBoolean(0);
      if (!locked) {
        tx.rollback().await().atMost(Duration.ofSeconds(10));
        return 0;
      }
      RowSet<Row> rows =
          connection
              .preparedQuery(SELECT_SQL)
              .execute(Tuple.of(batchSize))
              .await()
              .atMost(Duration.ofSeconds(10));
      if (rows.size() == 0) {
        tx.rollback().await().atMost(Duration.ofSeconds(10));
        return 0;
      }
      crashPoint.accept("before-send");
      List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
      List<UUID> ids = new ArrayList<>(rows.size());
      for (Row row : rows) {
        ProducerRecord<String, byte[]> record = toRecord(row);
        acks.add(producer().send(record));
        ids.add(row.getUUID("id"));
      }
      producer().flush();
      for (Future<RecordMetadata> ack : acks) {
        ack.get(30, TimeUnit.SECONDS);
      }
      connection
          .preparedQuery("DELETE FROM outbox_event WHERE id = ANY($1)")
          .execute(Tuple.of(ids.toArray(new UUID[0])))
          .await()
          .atMost(Duration.ofSeconds(10));
      crashPoint.accept("before-commit");
      tx.commit().await().atMost(Duration.ofSeconds(10));
      tx = null;
      published.increment(ids.size());
      return ids.size();
    } finally {
      if (tx != null) {
        try {
          tx.rollback().await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException rollbackFailed) {
          LOG.debug("rollback after a failed relay failed too", rollbackFailed);
        }
      }
      connection.close().await().atMost(Duration.ofSeconds(5));
    }
  }

  static ProducerRecord<String, byte[]> toRecord(Row row) {
    EventEnvelope event =
        new EventEnvelope(
            row.getUUID("id"),
            row.getString("type"),
            row.getString("source"),
            row.getString("subject"),
            row.getOffsetDateTime("occurred_at").toInstant(),
            row.getString("workspace_id"),
            row.getString("traceparent"),
            row.getString("tracestate"),
            row.getBuffer("data").getBytes());
    return new ProducerRecord<>(
        row.getString("topic"),
        null,
        row.getString("event_key"),
        event.data(),
        CloudEventHeaders.toHeaders(event));
  }

  private synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      Properties config = new Properties();
      config.putAll(
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
              ProducerConfig.CLIENT_ID_CONFIG, clientId,
              ProducerConfig.ACKS_CONFIG, "all",
              ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
              ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5",
              ProducerConfig.LINGER_MS_CONFIG, "5",
              ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000",
              ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
              ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000",
              ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topic.LARGE_MESSAGE_BYTES)));
      producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
