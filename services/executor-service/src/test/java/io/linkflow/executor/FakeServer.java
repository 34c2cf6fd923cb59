package io.linkflow.executor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.linkflow.testing.TestIssuer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server in the test JVM on 127.0.0.1: the target of HTTP Request nodes, and the
 * stand-in for credential-service's decrypt and variable-service's internal read. Tests register
 * routes by path; every request is recorded. Also registers the executor's service client at the
 * test issuer.
 */
public class FakeServer implements QuarkusTestResourceLifecycleManager {

  /** A request as the server saw it. */
  public record Seen(
      String method, String path, String query, Map<String, List<String>> headers, String body) {

    public String header(String name) {
      for (Map.Entry<String, List<String>> h : headers.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name)) {
          return h.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** Answers one request. */
  @FunctionalInterface
  public interface Route {
    void handle(Seen request, HttpExchange exchange) throws IOException;
  }

  private static final Map<String, Route> ROUTES = new ConcurrentHashMap<>();
  private static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
  private static HttpServer server;

  @Override
  public Map<String, String> start() {
    TestIssuer.get()
        .registerClient(
            "executor", "test-executor-secret", "credentials:decrypt variable-values:read");
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", FakeServer::dispatch);
    server.start();
    return Map.of("linkflow.clients.credential.url", url(), "linkflow.clients.variable.url", url());
  }

  /** http://127.0.0.1:port */
  public static String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public static int port() {
    return server.getAddress().getPort();
  }

  public static void route(String path, Route route) {
    ROUTES.put(path, route);
  }

  /** Requests seen on {@code path} so far. */
  public static List<Seen> seen(String path) {
    return SEEN.stream().filter(s -> s.path().equals(path)).toList();
  }

  public static void reply(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  public static void json(HttpExchange exchange, int status, String body) throws IOException {
    reply(exchange, status, "application/json", body);
  }

  private static void dispatch(HttpExchange exchange) throws IOException {
    Seen seen =
        new Seen(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestURI().getRawQuery(),
            Map.copyOf(exchange.getRequestHeaders()),
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    SEEN.add(seen);
    Route route = ROUTES.get(seen.path());
    try {
      if (route == null) {
        json(exchange, 404, "{\"error\":\"no route " + seen.path() + "\"}");
      } else {
        route.handle(seen, exchange);
      }
    } catch (IOException e) {
      // the client went away (a reset request): nothing to answer
    } finally {
      exchange.close();
    }
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
