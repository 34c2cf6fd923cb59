package io.linkflow.localstack;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The local edge: a reverse proxy that routes by kong/kong.yml to the services on localhost, with
 * Kong's correlation-id behaviour (X-Request-ID generated when absent, passed upstream and echoed).
 */
public final class Edge {

  public static final String REQUEST_ID = "X-Request-ID";
  private static final String PROBLEM_JSON = "application/problem+json";

  private final Vertx vertx;
  private final RouteTable routes;
  private final Map<String, Integer> ports;
  private final String upstreamHost;
  private HttpServer server;
  private HttpClient client;

  /**
   * @param routes the route table (path prefix to Kong service name)
   * @param ports Kong service name to local port; the upstream host is {@code 127.0.0.1}
   */
  public Edge(Vertx vertx, RouteTable routes, Map<String, Integer> ports) {
    this.vertx = vertx;
    this.routes = routes;
    this.ports = Map.copyOf(ports);
    this.upstreamHost = "127.0.0.1";
  }

  public Future<HttpServer> listen(int port) {
    client =
        vertx.createHttpClient(
            new HttpClientOptions().setConnectTimeout(5000).setMaxPoolSize(64).setKeepAlive(true));
    HttpProxy proxy = HttpProxy.reverseProxy(client);
    proxy.originSelector(this::origin);
    proxy.addInterceptor(new CorrelationAndErrors());
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setPort(port)
                .setHost("0.0.0.0")
                .setHttp2ClearTextEnabled(false));
    server.requestHandler(
        request -> {
          String path = request.path();
          if (path.equals("/health")) {
            request
                .response()
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("status", "healthy").encode());
            return;
          }
          Optional<RouteTable.Route> route = routes.match(path);
          if (route.isEmpty() || !ports.containsKey(route.get().service())) {
            String id = requestId(request.getHeader(REQUEST_ID));
            request
                .response()
                .setStatusCode(404)
                .putHeader("Content-Type", PROBLEM_JSON)
                .putHeader(REQUEST_ID, id)
                .end(problem(404, "Not Found", "No route for " + path).encode());
            return;
          }
          proxy.handle(request);
        });
    return server.listen();
  }

  public Future<Void> close() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.compose(v -> client == null ? Future.succeededFuture() : client.close());
  }

  private Future<SocketAddress> origin(HttpServerRequest request) {
    Optional<Integer> port = routes.serviceFor(request.path()).map(ports::get);
    return port.isPresent()
        ? Future.succeededFuture(SocketAddress.inetSocketAddress(port.get(), upstreamHost))
        : Future.failedFuture("No route for " + request.path());
  }

  static String requestId(String fromClient) {
    return fromClient == null || fromClient.isBlank() ? UUID.randomUUID().toString() : fromClient;
  }

  static JsonObject problem(int status, String title, String detail) {
    return new JsonObject()
        .put("type", "about:blank")
        .put("title", title)
        .put("status", status)
        .put("detail", detail);
  }

  /** Correlation id in and out, X-Forwarded-* upstream, 502 problem when the upstream is down. */
  private static final class CorrelationAndErrors implements ProxyInterceptor {

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
      var request = context.request();
      String id = requestId(request.headers().get(REQUEST_ID));
      request.headers().set(REQUEST_ID, id);
      context.set(REQUEST_ID, id);
      var incoming = request.proxiedRequest();
      if (incoming.remoteAddress() != null) {
        request.headers().add("X-Forwarded-For", incoming.remoteAddress().hostAddress());
      }
      request.headers().set("X-Forwarded-Proto", incoming.scheme());
      if (incoming.authority() != null) {
        request.headers().set("X-Forwarded-Host", incoming.authority().toString());
      }
      String path = incoming.path();
      return context
          .sendRequest()
          .recover(
              error ->
                  Future.succeededFuture(
                      request
                          .release()
                          .response()
                          .setStatusCode(502)
                          .putHeader("Content-Type", PROBLEM_JSON)
                          .setBody(
                              Body.body(
                                  Buffer.buffer(
                                      problem(
                                              502,
                                              "Bad Gateway",
                                              "Upstream for "
                                                  + path
                                                  + " is not reachable: "
                                                  + error.getMessage())
                                          .encode())))));
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext context) {
      String id = context.get(REQUEST_ID, String.class);
      if (id != null) {
        context.response().headers().set(REQUEST_ID, id);
      }
      return context.sendResponse();
    }
  }
}
