package io.linkflow.executor.run;

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventEnvelope;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes node results to execution.results as CloudEvents (binary mode, libs/events headers),
 * keyed by execution id: {@code acks=all}, idempotent, records up to 16 MiB. The returned future
 * completes once Kafka acknowledged the record; a failed send is retried with back-off (1 s … 30 s)
 * until it succeeds or the executor stops — the command stays unacknowledged meanwhile, so a
 * stopped executor's result is produced again by whoever gets the command next.
 */
@ApplicationScoped
public class ResultPublisher {

  private static final Logger LOG = Logger.getLogger(ResultPublisher.class);

  /** {@code max.request.size}: the largest record this producer sends. */
  public static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

  private final KafkaProducer<String, byte[]> producer;
  private final ScheduledExecutorService retries;
  private volatile boolean stopping;

  public ResultPublisher(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "quarkus.application.name") String application) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, application + "-results");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_REQUEST_BYTES));
    props.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.retries =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "result-publisher");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Sends {@code event} to {@code topic}; completes when Kafka acknowledged it. */
  public CompletableFuture<Void> publish(String topic, EventEnvelope event) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    retries.execute(() -> send(topic, event, done, Duration.ofSeconds(1)));
    return done;
  }

  private void send(
      String topic, EventEnvelope event, CompletableFuture<Void> done, Duration wait) {
    if (stopping) {
      done.completeExceptionally(new IllegalStateException("the executor is stopping"));
      return;
    }
    try {
      producer.send(
          new ProducerRecord<>(
              topic, null, event.key(), event.data(), CloudEventHeaders.toHeaders(event)),
          (metadata, error) -> {
            if (error == null) {
              done.complete(null);
            } else {
              retry(topic, event, done, wait, error);
            }
          });
    } catch (RuntimeException e) {
      retry(topic, event, done, wait, e);
    }
  }

  private void retry(
      String topic, EventEnvelope event, CompletableFuture<Void> done, Duration wait, Throwable e) {
    if (e instanceof org.apache.kafka.common.errors.RecordTooLargeException) {
      done.completeExceptionally(e); // never goes through; the caller answers a smaller failure
      return;
    }
    LOG.warnf(
        "Publishing result %s to %s failed, retrying in %d s: %s",
        event.id(), topic, wait.toSeconds(), e.toString());
    Duration next =
        wait.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
            ? Duration.ofSeconds(30)
            : wait.multipliedBy(2);
    retries.schedule(() -> send(topic, event, done, next), wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent ignored) {
    stopping = true;
    retries.shutdown();
    producer.close(Duration.ofSeconds(5));
  }
}
