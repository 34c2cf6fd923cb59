package io.linkflow.execution;

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
 * Stands in for workflow-service's and variable-service's internal endpoints (their own tests cover
 * them): versions and variables registered by the tests, served on 127.0.0.1:18203 to callers with
 * a bearer token. Counts version reads, to prove the cache.
 */
final class FakeInternalApi {

  static final int PORT = 18203;
  private static FakeInternalApi instance;

  final Map<String, String> versions = new ConcurrentHashMap<>();
  final Map<String, String> variables = new ConcurrentHashMap<>();
  final Map<String, String> current = new ConcurrentHashMap<>();
  final AtomicInteger versionReads = new AtomicInteger();

  private FakeInternalApi() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/internal/v1/workflow-versions",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          String path = exchange.getRequestURI().getPath();
          String query = String.valueOf(exchange.getRequestURI().getQuery());
          versionReads.incrementAndGet();
          String prefix = "/internal/v1/workflow-versions/";
          String body =
              path.startsWith(prefix)
                  ? versions.get(path.substring(prefix.length()))
                  : current.get(query.replaceFirst(".*workflowId=([^&]*).*", "$1"));
          int status = auth == null || !auth.startsWith("Bearer ") ? 401 : body == null ? 404 : 200;
          send(exchange, status, body == null ? "{\"status\":" + status + "}" : body);
        });
    server.createContext(
        "/internal/v1/variables",
        exchange -> {
          String query = exchange.getRequestURI().getQuery();
          String workspace =
              query == null ? "" : query.replaceFirst(".*workspaceId=([^&]*).*", "$1");
          send(exchange, 200, "{\"values\":" + variables.getOrDefault(workspace, "{}") + "}");
        });
    server.start();
  }

  static synchronized FakeInternalApi get() {
    if (instance == null) {
      try {
        instance = new FakeInternalApi();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return instance;
  }

  private static void send(com.sun.net.httpserver.HttpExchange exchange, int status, String text)
      throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
