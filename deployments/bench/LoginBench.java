// Log-in throughput and latency against a running LinkFlow (make run-local), through the edge.
// Run with: java deployments/bench/LoginBench.java [baseUrl] [concurrency] [seconds]
// No dependencies: the JDK's HttpClient on virtual threads. Prints figures; asserts nothing.

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

public class LoginBench {

  public static void main(String[] args) throws Exception {
    String base = args.length > 0 ? args[0] : "http://localhost:8000";
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    String email = "bench-" + UUID.randomUUID() + "@example.com";
    String body = "{\"email\":\"" + email + "\",\"password\":\"bench password 42 long\"}";
    HttpResponse<String> signUp = http.send(post(base + "/api/v1/auth/signup", body), HttpResponse.BodyHandlers.ofString());
    if (signUp.statusCode() != 201) {
      throw new IllegalStateException("sign-up failed: " + signUp.statusCode() + " " + signUp.body());
    }

    // Warm-up: JIT and connection pools.
    runFor(http, base, body, concurrency, 5, new ConcurrentLinkedQueue<>(), new AtomicInteger());

    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger errors = new AtomicInteger();
    long start = System.nanoTime();
    runFor(http, base, body, concurrency, seconds, latencies, errors);
    double elapsed = (System.nanoTime() - start) / 1e9;

    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    System.out.printf("log-in through %s, %d concurrent clients, %d s%n", base, concurrency, seconds);
    System.out.printf("  requests: %d ok, %d errors%n", sorted.size(), errors.get());
    System.out.printf("  throughput: %.1f log-ins/s%n", sorted.size() / elapsed);
    System.out.printf(
        "  latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n",
        pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), pct(sorted, 100));
  }

  private static void runFor(
      HttpClient http,
      String base,
      String body,
      int concurrency,
      int seconds,
      ConcurrentLinkedQueue<Long> latencies,
      AtomicInteger errors)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < concurrency; i++) {
        pool.submit(
            () -> {
              while (System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                try {
                  HttpResponse<Void> r =
                      http.send(post(base + "/api/v1/auth/login", body), HttpResponse.BodyHandlers.discarding());
                  if (r.statusCode() == 200) {
                    latencies.add(System.nanoTime() - t0);
                  } else {
                    errors.incrementAndGet();
                  }
                } catch (Exception e) {
                  errors.incrementAndGet();
                }
              }
              return null;
            });
      }
    }
  }

  private static HttpRequest post(String url, String body) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static double pct(List<Long> sorted, int percentile) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1e6;
  }
}
