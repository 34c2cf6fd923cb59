package io.linkflow.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real HTTP: two upstream servers, the edge in front, a JDK client. */
class EdgeTest {

  static HttpServer upstreamA;
  static HttpServer upstreamB;
  static Vertx vertx;
  static Edge edge;
  static int edgePort;
  static final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Echoes method, URI, request id and body; answers 201 with a custom header. */
  static HttpServer upstream(String name) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        (HttpExchange exchange) -> {
          byte[] requestBody = exchange.getRequestBody().readAllBytes();
          String body =
              name
                  + " "
                  + exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " id="
                  + exchange.getRequestHeaders().getFirst("X-Request-ID")
                  + " body="
                  + new String(requestBody, StandardCharsets.UTF_8);
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("X-Upstream", name);
          exchange.sendResponseHeaders(201, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return server;
  }

  @BeforeAll
  static void start() throws Exception {
    upstreamA = upstream("a");
    upstreamB = upstream("b");
    RouteTable routes =
        new RouteTable(
            List.of(
                new RouteTable.Route("/api/v1/a", "a-service"),
                new RouteTable.Route("/hooks", "b-service"),
                new RouteTable.Route("/api/v1/down", "down-service")));
    Map<String, Integer> ports =
        Map.of(
            "a-service", upstreamA.getAddress().getPort(),
            "b-service", upstreamB.getAddress().getPort(),
            "down-service", freePort());
    vertx = Vertx.vertx();
    edge = new Edge(vertx, routes, ports);
    edgePort = freePort();
    edge.listen(edgePort).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    edge.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    upstreamA.stop(0);
    upstreamB.stop(0);
  }

  static HttpResponse<String> send(HttpRequest.Builder builder) throws Exception {
    return client.send(
        builder.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + edgePort + pathAndQuery));
  }

  @Test
  void proxiesGetWithQueryAndGeneratesRequestId() throws Exception {
    HttpResponse<String> response = send(request("/api/v1/a/items/7?x=1&y=two"));
    assertEquals(201, response.statusCode());
    assertEquals("a", response.headers().firstValue("X-Upstream").orElse(null));
    String id = response.headers().firstValue("X-Request-ID").orElse(null);
    assertNotNull(id);
    UUID.fromString(id);
    assertEquals("a GET /api/v1/a/items/7?x=1&y=two id=" + id + " body=", response.body());
  }

  @Test
  void proxiesPostBodyAndKeepsClientRequestId() throws Exception {
    HttpResponse<String> response =
        send(
            request("/hooks/abc")
                .header("X-Request-ID", "req-123")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"k\":\"v\"}")));
    assertEquals(201, response.statusCode());
    assertEquals("req-123", response.headers().firstValue("X-Request-ID").orElse(null));
    assertEquals("b POST /hooks/abc id=req-123 body={\"k\":\"v\"}", response.body());
  }

  @Test
  void exactPrefixIsRoutedButLongerSegmentIsNot() throws Exception {
    assertEquals(201, send(request("/hooks")).statusCode());
    assertEquals(404, send(request("/hooksx")).statusCode());
  }

  @Test
  void unknownPathIsProblem404() throws Exception {
    HttpResponse<String> response = send(request("/x"));
    assertEquals(404, response.statusCode());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(null));
    assertEquals(
        new JsonObject()
            .put("type", "about:blank")
            .put("title", "Not Found")
            .put("status", 404)
            .put("detail", "No route for /x"),
        new JsonObject(response.body()));
    assertTrue(response.headers().firstValue("X-Request-ID").isPresent());
  }

  @Test
  void upstreamDownIsProblem502() throws Exception {
    HttpResponse<String> response = send(request("/api/v1/down/1").header("X-Request-ID", "r-502"));
    assertEquals(502, response.statusCode());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(null));
    JsonObject problem = new JsonObject(response.body());
    assertEquals(502, problem.getInteger("status"));
    assertEquals("Bad Gateway", problem.getString("title"));
    assertEquals("r-502", response.headers().firstValue("X-Request-ID").orElse(null));
  }

  @Test
  void edgeHealth() throws Exception {
    HttpResponse<String> response = send(request("/health"));
    assertEquals(200, response.statusCode());
    assertEquals(new JsonObject().put("status", "healthy"), new JsonObject(response.body()));
  }
}
