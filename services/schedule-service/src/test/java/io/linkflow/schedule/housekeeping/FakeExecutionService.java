package io.linkflow.schedule.housekeeping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.linkflow.testing.TestIssuer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Stands in for execution-service's {@code POST /internal/v1/housekeeping/{job}} (its own test
 * covers the real endpoint) on 127.0.0.1:18210: records each call with the claims of its bearer
 * token, and answers what a test queued for the job (else a default success). Registers the {@code
 * schedule} client at the test issuer, as auth-service has it.
 */
final class FakeExecutionService {

  static final int PORT = 18210;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static FakeExecutionService instance;

  /** One call: the job and the token's subject and scopes. */
  record Call(String job, String subject, String scope, long atNanos) {}

  /** An answer: status and body; {@code delayMs} before answering. */
  record Answer(int status, String body, long delayMs) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Answer>> queued = new ConcurrentHashMap<>();

  private FakeExecutionService() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/internal/v1/housekeeping/", this::handle);
    server.start();
  }

  static synchronized FakeExecutionService get() {
    TestIssuer.get().registerClient("schedule", "test-schedule-secret", "housekeeping:run");
    if (instance == null) {
      try {
        instance = new FakeExecutionService();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return instance;
  }

  /** The next call of {@code job} gets this answer (answers queue up in order). */
  void answer(String job, int status, String body, long delayMs) {
    queued
        .computeIfAbsent(job, j -> new ConcurrentLinkedDeque<>())
        .add(new Answer(status, body, delayMs));
  }

  List<Call> callsOf(String job) {
    return calls.stream().filter(c -> c.job().equals(job)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String job = path.substring(path.lastIndexOf('/') + 1);
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    JsonNode claims = claims(auth);
    calls.add(
        new Call(
            job,
            claims.path("sub").asText(null),
            claims.path("scope").asText(""),
            System.nanoTime()));
    if (!"POST".equals(exchange.getRequestMethod())) {
      send(exchange, 405, "{\"status\":405}");
      return;
    }
    if (auth == null || !auth.startsWith("Bearer ")) {
      send(exchange, 401, "{\"status\":401,\"detail\":\"no token\"}");
      return;
    }
    if (!List.of(claims.path("scope").asText("").split(" ")).contains("housekeeping:run")) {
      send(exchange, 403, "{\"status\":403,\"detail\":\"housekeeping:run needed\"}");
      return;
    }
    Deque<Answer> answers = queued.get(job);
    Answer answer = answers == null ? null : answers.poll();
    if (answer == null) {
      answer = new Answer(200, defaultBody(job), 0);
    }
    if (answer.delayMs() > 0) {
      try {
        Thread.sleep(answer.delayMs()); // a slow callee, so that two runners overlap
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    send(exchange, answer.status(), answer.body());
  }

  static String defaultBody(String job) {
    return switch (job) {
      case "retention" -> "{\"job\":\"retention\",\"deleted\":0,\"durationMs\":1,\"more\":false}";
      case "stale" -> "{\"job\":\"stale\",\"requeued\":0,\"durationMs\":1}";
      case "usage" ->
          "{\"job\":\"usage\",\"hours\":0,\"rows\":0,\"from\":\"2026-01-01T00:00:00Z\","
              + "\"to\":\"2026-01-01T00:00:00Z\",\"durationMs\":1,\"more\":false}";
      default -> "{\"status\":404,\"detail\":\"no such job\"}";
    };
  }

  private static JsonNode claims(String auth) {
    try {
      String token = auth.substring("Bearer ".length());
      String payload = token.split("\\.")[1];
      return JSON.readTree(Base64.getUrlDecoder().decode(payload));
    } catch (RuntimeException | IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static void send(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange
        .getResponseHeaders()
        .add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
