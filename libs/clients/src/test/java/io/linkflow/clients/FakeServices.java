package io.linkflow.clients;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Stand-ins for credential-service and variable-service in the test JVM: a real HTTP server whose
 * answers a test sets, recording every request it gets.
 */
public class FakeServices implements QuarkusTestResourceLifecycleManager {

  /** One request as the fake saw it. */
  public record Seen(String method, String path, String query, String authorization, String body) {}

  /** What to answer. */
  public record Answer(int status, String body) {}

  /** Answers a request. */
  @FunctionalInterface
  public interface Handler {
    Answer answer(Seen request, int count);
  }

  static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
  static volatile Handler handler = (request, count) -> new Answer(404, "{}");
  private static HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", FakeServices::handle);
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    return Map.of("linkflow.clients.credential.url", url, "linkflow.clients.variable.url", url);
  }

  private static void handle(HttpExchange exchange) throws IOException {
    Seen seen =
        new Seen(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestURI().getRawQuery(),
            exchange.getRequestHeaders().getFirst("Authorization"),
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    SEEN.add(seen);
    Answer answer = handler.answer(seen, SEEN.size());
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  static void reset(Handler answers) {
    SEEN.clear();
    handler = answers;
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
