package io.linkflow.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The failure drills of the execution engine, against the whole platform started by {@code make
 * run-local} (run by {@code make e2e}, part of {@code make test}): 200 executions of Manual → HTTP
 * Request (a slow local endpoint) → Set are in flight when the executor — then execution-service —
 * is killed with SIGKILL and started again. Every execution must reach a terminal state, succeed,
 * and have exactly one recorded run of each node: effects may be attempted again after a crash
 * (at-least-once delivery; the endpoint counts them), never recorded twice.
 */
class ExecutionDrillIT {

  static final String BASE =
      System.getenv().getOrDefault("LINKFLOW_E2E_URL", "http://localhost:8000");
  static final Path REPO = Path.of("").toAbsolutePath().getParent().getParent();
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final int EXECUTIONS = 200;

  static HttpServer target;
  static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  static final AtomicInteger totalCalls = new AtomicInteger();
  static String token;

  @BeforeAll
  static void platform() throws Exception {
    target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    target.createContext(
        "/effect",
        exchange -> {
          String query = String.valueOf(exchange.getRequestURI().getQuery());
          String execution = query.replaceFirst(".*e=([^&]*).*", "$1");
          calls.computeIfAbsent(execution, k -> new AtomicInteger()).incrementAndGet();
          totalCalls.incrementAndGet();
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] body =
              ("{\"charged\":true,\"execution\":\"" + execution + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    target.start();
    make("run-local");
    JsonNode signUp =
        call(
            "POST",
            "/api/v1/auth/signup",
            null,
            "{\"email\":\"drill-"
                + UUID.randomUUID()
                + "@example.com\",\"password\":\"drill password 42 long\"}",
            201);
    token = signUp.path("accessToken").asText();
  }

  @AfterAll
  static void stopTarget() {
    if (target != null) {
      target.stop(0);
    }
  }

  @Test
  void killingTheExecutorLosesNothingAndRecordsNothingTwice() throws Exception {
    drill("executor-service");
  }

  @Test
  void killingExecutionServiceLosesNothingAndRecordsNothingTwice() throws Exception {
    drill("execution-service");
  }

  private void drill(String victim) throws Exception {
    String workflow = createWorkflow(victim);
    int before = totalCalls.get();
    List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
    // requested from 8 threads while the engine works, so the kill finds executions in every
    // stage: requested, dispatched, running at the endpoint, answered
    try (var pool = Executors.newFixedThreadPool(8)) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < EXECUTIONS; i++) {
        int n = i;
        sent.add(
            pool.submit(
                () -> {
                  ids.add(
                      call(
                              "POST",
                              "/api/v1/workflows/" + workflow + "/execute",
                              token,
                              "{\"input\":{\"n\":" + n + "}}",
                              202)
                          .path("executionId")
                          .asText());
                  return null;
                }));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (totalCalls.get() - before < 30 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(totalCalls.get() - before)
          .as("calls reached the endpoint before the kill")
          .isGreaterThanOrEqualTo(30);
      killAndRestart(victim, before);
      for (var f : sent) {
        f.get();
      }
    }
    awaitAndCheck(victim, ids);
  }

  private void killAndRestart(String victim, int before) throws Exception {
    ProcessHandle process = process(victim);
    assertThat(process).as(victim + " process").isNotNull();
    process.destroyForcibly(); // SIGKILL
    process.onExit().get();
    System.out.printf(
        "drill: SIGKILL %s (pid %d) after %d endpoint calls%n",
        victim, process.pid(), totalCalls.get() - before);
    make("run-local"); // starts what is not running: the killed service
  }

  private void awaitAndCheck(String victim, List<String> ids) throws Exception {
    assertThat(ids).hasSize(EXECUTIONS);
    long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    Map<String, String> status = new ConcurrentHashMap<>();
    while (System.nanoTime() < deadline) {
      status.clear();
      for (String id : ids) {
        JsonNode e = call("GET", "/api/v1/executions/" + id, token, null, -1);
        status.put(id, e.path("status").asText("missing"));
      }
      if (status.values().stream()
          .allMatch(
              s ->
                  s.equals("succeeded")
                      || s.equals("failed")
                      || s.equals("cancelled")
                      || s.equals("timed_out"))) {
        break;
      }
      Thread.sleep(1000);
    }
    assertThat(status.values())
        .as("every execution finished, and succeeded")
        .hasSize(EXECUTIONS)
        .containsOnly("succeeded");
    int repeated = 0;
    for (String id : ids) {
      JsonNode e = call("GET", "/api/v1/executions/" + id, token, null, 200);
      List<String> runs = new ArrayList<>();
      e.path("nodeRuns")
          .forEach(r -> runs.add(r.path("nodeId").asText() + ":" + r.path("status").asText()));
      assertThat(runs)
          .as("node runs of " + id)
          .containsExactly("t:succeeded", "h:succeeded", "s:succeeded");
      assertThat(e.at("/nodeRuns/2/output/main/0/charged").asBoolean()).isTrue();
      int c = calls.getOrDefault(id, new AtomicInteger()).get();
      assertThat(c).as("endpoint calls of " + id).isGreaterThanOrEqualTo(1);
      if (c > 1) {
        repeated++;
      }
    }
    System.out.printf(
        "drill %s: %d executions succeeded, each node recorded once; %d effects attempted again after the crash%n",
        victim, EXECUTIONS, repeated);
  }

  private String createWorkflow(String name) throws Exception {
    String url =
        "http://127.0.0.1:" + target.getAddress().getPort() + "/effect?e={{ $execution.id }}";
    String body =
        "{\"name\":\"drill "
            + name
            + " "
            + UUID.randomUUID()
            + "\",\"nodes\":["
            + "{\"id\":\"t\",\"name\":\"Start\",\"type\":\"linkflow.manualTrigger\",\"typeVersion\":1,\"parameters\":{}},"
            + "{\"id\":\"h\",\"name\":\"Charge\",\"type\":\"linkflow.httpRequest\",\"typeVersion\":1,"
            + "\"parameters\":{\"url\":\""
            + url
            + "\",\"timeoutMs\":20000}},"
            + "{\"id\":\"s\",\"name\":\"Done\",\"type\":\"linkflow.set\",\"typeVersion\":1,"
            + "\"parameters\":{\"mode\":\"manual\",\"fields\":[{\"name\":\"done\",\"type\":\"boolean\",\"value\":true}]}}],"
            + "\"connections\":[{\"from\":{\"node\":\"t\"},\"to\":{\"node\":\"h\"}},{\"from\":{\"node\":\"h\"},\"to\":{\"node\":\"s\"}}]}";
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      JsonNode created = call("POST", "/api/v1/workflows", token, body, -1);
      if (created.has("id") && created.has("versionId")) {
        return created.path("id").asText();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("cannot create the drill workflow: " + created);
      }
      Thread.sleep(500); // the new member reaches workflow-service over Kafka
    }
  }

  static ProcessHandle process(String service) {
    return ProcessHandle.allProcesses()
        .filter(
            h ->
                h.info()
                    .commandLine()
                    .map(c -> c.contains("services/" + service + "/"))
                    .orElse(false))
        .findFirst()
        .orElse(null);
  }

  static void make(String target) throws IOException, InterruptedException {
    Process make =
        new ProcessBuilder("make", "-s", target).directory(REPO.toFile()).inheritIO().start();
    if (make.waitFor() != 0) {
      throw new IllegalStateException("make " + target + " failed");
    }
  }

  static JsonNode call(String method, String path, String bearer, String body, int expect)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(BASE + path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (expect > 0 && r.statusCode() != expect) {
      throw new AssertionError(method + " " + path + ": " + r.statusCode() + " " + r.body());
    }
    return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
  }
}
