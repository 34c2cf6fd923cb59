// Trigger-to-completion throughput and latency of the execution engine against a running LinkFlow
// (make run-local): a Manual Trigger → Set (an expression) → IF workflow is created through the
// edge; executions are requested the way workflow-, webhook- and schedule-service request them
// (execution.requested on workflow.triggers, straight to Kafka), and an execution counts as done
// when its "succeeded" status event arrives on execution.events — published through the outbox,
// so only after the execution and its node runs were committed to PostgreSQL.
//
// Run: make bench (compiles deployments/bench together), or on JDK 22+ directly:
//   java -cp "$(cat libs/local-stack/target/classpath.txt)" \
//   deployments/bench/ExecutionBench.java [baseUrl] [kafka] [executions] [rates/s, e.g. 500,1000] [seconds]
// Prints figures; asserts nothing.

import io.linkflow.events.CloudEventHeaders;
import io.linkflow.events.EventCodec;
import io.linkflow.events.EventEnvelope;
import io.linkflow.events.EventTypes;
import io.linkflow.events.payload.ExecutionRequestedV1;
import io.linkflow.events.payload.ExecutionStatusChangedV1;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class ExecutionBench {

  static final String WORKFLOW =
      """
      {"name":"bench manual-set-if","nodes":[
        {"id":"t","name":"Start","type":"linkflow.manualTrigger","typeVersion":1,"parameters":{}},
        {"id":"s","name":"Total","type":"linkflow.set","typeVersion":1,"parameters":{"mode":"manual",
          "fields":[{"name":"total","type":"number","value":"{{ $json.price * $json.qty }}"}]}},
        {"id":"i","name":"Big?","type":"linkflow.if","typeVersion":1,"parameters":{"conditions":[
          {"left":"{{ $json.total }}","operator":"greaterThan","right":100}]}}],
       "connections":[{"from":{"node":"t"},"to":{"node":"s"}},{"from":{"node":"s"},"to":{"node":"i"}}]}
      """;

  static final Map<UUID, Long> sentAt = new ConcurrentHashMap<>();
  static final Map<UUID, Long> doneAt = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    String base = args.length > 0 ? args[0] : "http://localhost:8000";
    String kafka = args.length > 1 ? args[1] : "localhost:9092";
    int burst = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    int[] rates = java.util.Arrays.stream((args.length > 3 ? args[3] : "500").split(","))
        .mapToInt(r -> Integer.parseInt(r.trim())).toArray();
    int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 20;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    BenchHttp.Setup setup = BenchHttp.signUpWithWorkflow(http, base, WORKFLOW);
    String token = setup.token();
    String workspace = setup.workspace();
    String created = setup.workflow();
    UUID workflowId = UUID.fromString(BenchHttp.field(created, "id"));
    UUID versionId = UUID.fromString(BenchHttp.field(created, "versionId"));

    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    p.put("linger.ms", "2");
    p.put("acks", "all");
    KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    Thread listener = Thread.ofPlatform().daemon().start(() -> listen(kafka));
    Thread.sleep(2000);

    ProcessHandle engine = process("execution-service");
    System.out.printf(
        "execution engine: manual trigger → Set (expression) → IF, through Kafka and PostgreSQL%n"
            + "  machine: %d cores, %s; execution-service pid %s%n",
        Runtime.getRuntime().availableProcessors(), osName(),
        engine == null ? "not found" : engine.pid());

    // warm-up (JIT: the C2 compiler needs some thousands of executions; connection pools, caches)
    runBurst(producer, workspace, workflowId, versionId, 10_000);

    long cpu0 = BenchCpu.of(engine);
    long machine0 = BenchCpu.machineTicks();
    Map<String, Long> groups0 = BenchCpu.byProcess();
    long t0 = System.nanoTime();
    List<UUID> ids = runBurst(producer, workspace, workflowId, versionId, burst);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    long cpu1 = BenchCpu.of(engine);
    long machine1 = BenchCpu.machineTicks();
    System.out.printf("%nburst: %,d executions requested at once%n", burst);
    System.out.printf("  completed: %,d in %.2f s = %,.0f executions/s sustained%n",
        done(ids), elapsed, done(ids) / elapsed);
    if (engine != null) {
      System.out.printf("  CPU per execution: execution-service %.3f ms; whole machine %.3f ms%n",
          (cpu1 - cpu0) / 1e6 / burst, (machine1 - machine0) * 10.0 / burst);
      BenchCpu.print(groups0, BenchCpu.byProcess(), burst);
    }
    report("  trigger-to-completion latency (queueing included)", ids);

    List<UUID> steady = List.of();
    for (int rate : rates) {
      System.out.printf("%nsteady: %d executions/s for %d s%n", rate, seconds);
      cpu0 = BenchCpu.of(engine);
      machine0 = BenchCpu.machineTicks();
      groups0 = BenchCpu.byProcess();
      steady = new ArrayList<>();
      long start = System.nanoTime();
      long total = (long) rate * seconds;
      // paced in 1 ms ticks: each tick sends the requests that are due by then
      for (long sent = 0; sent < total; ) {
        long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
        for (; sent < due; sent++) {
          steady.add(request(producer, workspace, workflowId, versionId));
        }
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      }
      awaitAll(steady, Duration.ofSeconds(60));
      cpu1 = BenchCpu.of(engine);
      machine1 = BenchCpu.machineTicks();
      System.out.printf("  completed: %,d of %,d%n", done(steady), steady.size());
      if (engine != null) {
        System.out.printf("  CPU per execution: execution-service %.3f ms; whole machine %.3f ms%n",
            (cpu1 - cpu0) / 1e6 / steady.size(), (machine1 - machine0) * 10.0 / steady.size());
        BenchCpu.print(groups0, BenchCpu.byProcess(), steady.size());
      }
      report("  trigger-to-completion latency", steady);
    }

    // durably recorded: a sample read back through the API
    int checked = 0;
    for (int i = 0; i < steady.size(); i += Math.max(1, steady.size() / 20)) {
      String body = BenchHttp.send(http, "GET", base + "/api/v1/executions/" + steady.get(i), token, null, 200);
      if (!body.contains("\"status\":\"succeeded\"") || !body.contains("\"nodeName\":\"Big?\"")) {
        throw new IllegalStateException("execution not recorded as expected: " + body);
      }
      checked++;
    }
    System.out.printf("%n  %d sampled executions read back through the API: succeeded, 3 node runs%n", checked);
    producer.close();
    System.exit(0);
  }

  static List<UUID> runBurst(
      KafkaProducer<String, byte[]> producer, String ws, UUID wf, UUID version, int n)
      throws InterruptedException {
    List<UUID> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(request(producer, ws, wf, version));
    }
    producer.flush();
    awaitAll(ids, Duration.ofSeconds(120));
    return ids;
  }

  static UUID request(KafkaProducer<String, byte[]> producer, String ws, UUID wf, UUID version) {
    UUID id = UUID.randomUUID();
    int price = (int) (Math.random() * 100);
    EventEnvelope event =
        EventCodec.envelope(
            EventTypes.EXECUTION_REQUESTED_V1, "/bench", id.toString(), ws,
            new ExecutionRequestedV1(id, wf, version, "manual",
                "[{\"price\":" + price + ",\"qty\":3}]"));
    sentAt.put(id, System.nanoTime());
    producer.send(new ProducerRecord<>(
        "workflow.triggers", null, event.key(), event.data(), CloudEventHeaders.toHeaders(event)));
    return id;
  }

  static void listen(String kafka) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    p.put("enable.auto.commit", "false");
    // batches of events instead of a fetch per event; adds at most 10 ms to what is measured
    p.put("fetch.min.bytes", "65536");
    p.put("fetch.max.wait.ms", "10");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = consumer.partitionsFor("execution.events").stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      while (true) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          EventEnvelope e = CloudEventHeaders.fromHeaders(r.headers(), r.value());
          if (!EventTypes.EXECUTION_STATUS_CHANGED_V1.cloudEventType().equals(e.type())) {
            continue;
          }
          ExecutionStatusChangedV1 change = EventCodec.read(ExecutionStatusChangedV1.class, e.data());
          if ("succeeded".equals(change.to()) || "failed".equals(change.to())) {
            doneAt.putIfAbsent(change.executionId(), System.nanoTime());
          }
        }
      }
    }
  }

  static void awaitAll(List<UUID> ids, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (done(ids) < ids.size() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  static int done(List<UUID> ids) {
    int n = 0;
    for (UUID id : ids) {
      if (doneAt.containsKey(id)) {
        n++;
      }
    }
    return n;
  }

  static void report(String title, List<UUID> ids) {
    List<Double> ms = new ArrayList<>();
    for (UUID id : ids) {
      Long end = doneAt.get(id);
      if (end != null) {
        ms.add((end - sentAt.get(id)) / 1e6);
      }
    }
    Collections.sort(ms);
    System.out.printf("%s ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n",
        title, pct(ms, 50), pct(ms, 95), pct(ms, 99), pct(ms, 100));
  }

  static double pct(List<Double> sorted, int p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  static ProcessHandle process(String service) {
    return ProcessHandle.allProcesses()
        .filter(h -> h.info().commandLine().map(c -> c.contains(service) && c.contains("java")).orElse(false))
        .findFirst().orElse(null);
  }



  static String osName() {
    return System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
        + System.getProperty("java.version");
  }

}
