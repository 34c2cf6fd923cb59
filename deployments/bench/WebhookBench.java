// Webhook → Set (a computed field) → Respond to Webhook under HTTP load, against a running LinkFlow
// (make run-local), through the edge (:8000): a workspace and the workflow are created through the
// API and activated; each call waits for the response the workflow builds, so a call counts only
// once its execution ran, was committed (the answer leaves through execution-service's outbox) and
// answered. Prints a closed-loop phase (BENCH_WEBHOOK_CONCURRENCY clients as fast as they go:
// throughput) and open-loop phases at fixed rates, each after 5 s at its rate (latency measured
// from each call's scheduled time, so a stall is not hidden), CPU per execution per process, and
// reads executions back. The calls go out through LeanLoad (one thread, non-blocking keep-alive
// connections), so the client takes little of the CPU the stack is measured on.
// Run: java deployments/bench/WebhookBench.java [baseUrl] [concurrency] [rates, e.g. 500,1000] [seconds]
// (JDK 22+ compiles BenchCpu.java, BenchHttp.java and LeanLoad.java beside it along; make bench compiles them
// together for any JDK 21+). Prints figures; asserts nothing.

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

public class WebhookBench {

  /** Seconds at each fixed rate before its measured phase (not counted). */
  static final int OPEN_LOOP_WARM_UP_SECONDS = 5;

  static final String WORKFLOW =
      """
      {"name":"bench webhook-set-respond","nodes":[
        {"id":"t","name":"Hook","type":"linkflow.webhookTrigger","typeVersion":1,
         "parameters":{"path":"bench-quote","method":"POST","responseMode":"responseNode"}},
        {"id":"s","name":"Price","type":"linkflow.set","typeVersion":1,"parameters":{"mode":"manual",
          "fields":[{"name":"total","type":"number","value":"{{ $json.body.price * $json.body.qty }}"}]}},
        {"id":"r","name":"Answer","type":"linkflow.respondToWebhook","typeVersion":1,"parameters":{
          "respondWith":"firstItem","statusCode":200,"headers":{"X-Execution-Id":"{{ $execution.id }}"}}}],
       "connections":[{"from":{"node":"t"},"to":{"node":"s"}},{"from":{"node":"s"},"to":{"node":"r"}}]}
      """;

  public static void main(String[] args) throws Exception {
    String base = args.length > 0 ? args[0] : "http://localhost:8000";
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int[] rates = java.util.Arrays.stream((args.length > 2 ? args[2] : "500").split(","))
        .mapToInt(r -> Integer.parseInt(r.trim())).toArray();
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .executor(Executors.newVirtualThreadPerTaskExecutor())
        .build();

    BenchHttp.Setup setup = BenchHttp.signUpWithWorkflow(http, base, WORKFLOW);
    String token = setup.token();
    String workspace = setup.workspace();
    String created = setup.workflow();
    String workflowId = BenchHttp.field(created, "id");
    BenchHttp.send(http, "POST", base + "/api/v1/workflows/" + workflowId + "/activate", token, "", 200);
    String url = base + "/webhook/" + workspace + "/bench-quote";
    for (int i = 0; i < 50; i++) { // webhook-service registers it from workflow.events
      if (BenchHttp.send(http, "GET", base + "/api/v1/webhooks", token, null, 200).contains("bench-quote")) {
        break;
      }
      Thread.sleep(200);
    }

    System.out.printf("webhook → Set → Respond to Webhook through %s%n  machine: %d cores, %s%n",
        base, Runtime.getRuntime().availableProcessors(), System.getProperty("os.name") + " "
            + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version"));

    URI target = URI.create(url);
    closedLoop(target, concurrency, 10, new Stats()); // warm-up: JIT, connections, caches
    Stats closed = new Stats();
    Map<String, Long> g0 = BenchCpu.byProcess();
    long m0 = BenchCpu.machineTicks();
    long t0 = System.nanoTime();
    closedLoop(target, concurrency, seconds, closed);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%nclosed loop: %d clients for %d s%n", concurrency, seconds);
    closed.print(elapsed);
    cpu(g0, m0, closed.ok.get());

    List<String> executionIds = new ArrayList<>();
    for (int rate : rates) {
      // each rate gets its own warm-up, as the closed loop does: the phase before it ran the machine
      // flat out, and what that left behind (collections, vacuum, recompiled code) is not the
      // latency of a steady rate
      openLoop(target, Math.max(128, concurrency * 4), rate, OPEN_LOOP_WARM_UP_SECONDS, new Stats());
      Stats open = new Stats();
      g0 = BenchCpu.byProcess();
      m0 = BenchCpu.machineTicks();
      t0 = System.nanoTime();
      openLoop(target, Math.max(128, concurrency * 4), rate, seconds, open);
      elapsed = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "%nopen loop: %d requests/s for %d s after %d s at that rate (latency from the scheduled"
              + " time)%n",
          rate, seconds, OPEN_LOOP_WARM_UP_SECONDS);
      open.print(elapsed);
      cpu(g0, m0, open.ok.get());
      executionIds = new ArrayList<>(open.executionIds);
    }

    int checked = 0;
    for (int i = 0; i < executionIds.size() && checked < 20; i += Math.max(1, executionIds.size() / 20)) {
      String body = BenchHttp.send(http, "GET", base + "/api/v1/executions/" + executionIds.get(i), token, null, 200);
      if (!body.contains("\"status\":\"succeeded\"") || !body.contains("\"nodeName\":\"Answer\"")) {
        throw new IllegalStateException("execution not recorded as expected: " + body);
      }
      checked++;
    }
    System.out.printf("%n  %d sampled executions read back through the API: succeeded, 3 node runs%n", checked);
    System.exit(0);
  }

  static final class Stats implements LeanLoad.Sink {
    final List<Long> latencies = new ArrayList<>();
    final List<String> executionIds = new ArrayList<>();
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger unexpected = new AtomicInteger();

    @Override
    public void answered(int status, String executionId, String body, long nanos) {
      if (status == 200 && body.contains("\"total\"")) {
        ok.incrementAndGet();
        latencies.add(nanos);
        if (executionId != null) {
          executionIds.add(executionId);
        }
      } else {
        unexpected.incrementAndGet();
      }
    }

    @Override
    public void failed() {
      unexpected.incrementAndGet();
    }

    void print(double elapsed) {
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      System.out.printf("  %,.0f requests/s answered by the workflow (%d ok, %d unexpected)%n",
          ok.get() / elapsed, ok.get(), unexpected.get());
      System.out.printf("  latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n",
          pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), pct(sorted, 100));
    }
  }

  static void cpu(Map<String, Long> g0, long m0, int executions) {
    if (executions == 0) {
      return;
    }
    System.out.printf("  CPU per execution: whole machine %.3f ms%n",
        (BenchCpu.machineTicks() - m0) * 10.0 / executions);
    BenchCpu.print(g0, BenchCpu.byProcess(), executions);
  }

  /** One call's body: a random price, so no two executions compute the same. */
  static String body() {
    return "{\"price\":" + (int) (Math.random() * 100) + ",\"qty\":3}";
  }

  static void closedLoop(URI url, int clients, int seconds, Stats stats) throws Exception {
    new LeanLoad(url, "X-Execution-Id", WebhookBench::body, stats)
        .closedLoop(clients, Duration.ofSeconds(seconds).toNanos());
  }

  static void openLoop(URI url, int connections, int rate, int seconds, Stats stats)
      throws Exception {
    new LeanLoad(url, "X-Execution-Id", WebhookBench::body, stats)
        .openLoop(connections, rate, seconds);
  }

  static double pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
  }

}
