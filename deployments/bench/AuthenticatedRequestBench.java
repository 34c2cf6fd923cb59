// Cost of authentication on every request, against a running LinkFlow (make run-local), through
// the edge: the same light endpoint (GET /api/v1/auth/api-keys, one indexed query) called with a
// bearer token (RS256 verified against the cached JWKS) and with an X-API-Key (exchanged at
// auth-service, then cached by the service for up to 60 s), plus a refused forged token.
// Run with: java deployments/bench/AuthenticatedRequestBench.java [baseUrl] [concurrency] [seconds]
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class AuthenticatedRequestBench {

  public static void main(String[] args) throws Exception {
    String base = args.length > 0 ? args[0] : "http://localhost:8000";
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    String email = "bench-" + UUID.randomUUID() + "@example.com";
    HttpResponse<String> signUp =
        http.send(
            post(base + "/api/v1/auth/signup", null,
                "{\"email\":\"" + email + "\",\"password\":\"bench password 42 long\"}"),
            HttpResponse.BodyHandlers.ofString());
    if (signUp.statusCode() != 201) {
      throw new IllegalStateException("sign-up failed: " + signUp.statusCode() + " " + signUp.body());
    }
    String token = field(signUp.body(), "accessToken");
    HttpResponse<String> key =
        http.send(
            post(base + "/api/v1/auth/api-keys", token,
                "{\"name\":\"bench\",\"scopes\":[\"workspace:read\"]}"),
            HttpResponse.BodyHandlers.ofString());
    if (key.statusCode() != 201) {
      throw new IllegalStateException("API key creation failed: " + key.statusCode() + " " + key.body());
    }
    String apiKey = field(key.body(), "key");
    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

    System.out.printf(
        "GET /api/v1/auth/api-keys through %s, %d concurrent clients, %d s each%n",
        base, concurrency, seconds);
    measure(http, base, "Authorization", "Bearer " + token, 200, "bearer token", concurrency, seconds);
    measure(http, base, "X-API-Key", apiKey, 200, "X-API-Key", concurrency, seconds);
    measure(http, base, "Authorization", "Bearer " + forged, 401, "forged token (401)", concurrency, seconds);
  }

  private static void measure(
      HttpClient http, String base, String header, String value, int expected, String label,
      int concurrency, int seconds) throws InterruptedException {
    runFor(http, base, header, value, expected, concurrency, 3, new ConcurrentLinkedQueue<>(), new AtomicInteger());
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger errors = new AtomicInteger();
    long start = System.nanoTime();
    runFor(http, base, header, value, expected, concurrency, seconds, latencies, errors);
    double elapsed = (System.nanoTime() - start) / 1e9;
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    System.out.printf(
        "  %-20s %7.1f req/s  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  (%d ok, %d unexpected)%n",
        label, sorted.size() / elapsed, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
        sorted.size(), errors.get());
  }

  private static void runFor(
      HttpClient http, String base, String header, String value, int expected, int concurrency,
      int seconds, ConcurrentLinkedQueue<Long> latencies, AtomicInteger errors)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/api-keys"))
            .timeout(Duration.ofSeconds(30))
            .header(header, value)
            .GET()
            .build();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < concurrency; i++) {
        pool.submit(
            () -> {
              while (System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                try {
                  HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                  if (r.statusCode() == expected) {
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

  private static HttpRequest post(String url, String token, String body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json");
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder.POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in " + json);
    }
    return m.group(1);
  }

  private static double pct(List<Long> sorted, int percentile) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1e6;
  }
}
