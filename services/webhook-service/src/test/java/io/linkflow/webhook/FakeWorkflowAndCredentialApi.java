package io.linkflow.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for workflow-service's public workflow read and credential-service's internal decrypt
 * (their own tests cover them), on 127.0.0.1:18209: workflows answer only to the bearer token they
 * were registered with (the relayed token of the person asking for a test event), credentials only
 * to a bearer token. Counts decrypts, to prove the cache is off in tests.
 */
final class FakeWorkflowAndCredentialApi {

  static final int PORT = 18209;
  private static FakeWorkflowAndCredentialApi instance;

  /** workflow id → {token, body}. */
  final Map<String, String[]> workflows = new ConcurrentHashMap<>();

  /** credential id → decrypt answer. */
  final Map<String, String> credentials = new ConcurrentHashMap<>();

  final AtomicInteger decrypts = new AtomicInteger();

  private FakeWorkflowAndCredentialApi() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/api/v1/workflows/",
        exchange -> {
          String id = exchange.getRequestURI().getPath().substring("/api/v1/workflows/".length());
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          String[] workflow = workflows.get(id);
          if (auth == null) {
            send(exchange, 401, "{}");
          } else if (workflow == null || !auth.equals("Bearer " + workflow[0])) {
            send(exchange, 404, "{}");
          } else {
            send(exchange, 200, workflow[1]);
          }
        });
    server.createContext(
        "/internal/v1/credentials/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String id =
              path.substring(
                  "/internal/v1/credentials/".length(), path.length() - "/decrypt".length());
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          decrypts.incrementAndGet();
          String body = credentials.get(id);
          if (auth == null || !auth.startsWith("Bearer ")) {
            send(exchange, 401, "{}");
          } else {
            send(exchange, body == null ? 404 : 200, body == null ? "{}" : body);
          }
        });
    server.start();
  }

  static synchronized FakeWorkflowAndCredentialApi get() {
    if (instance == null) {
      try {
        instance = new FakeWorkflowAndCredentialApi();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return instance;
  }

  private static void send(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
