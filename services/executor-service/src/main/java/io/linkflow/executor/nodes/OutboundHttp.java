package io.linkflow.executor.nodes;

import io.linkflow.executor.ExecutorConfig;
import io.linkflow.executor.run.RunControl;
import io.linkflow.security.net.OutboundGuard;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Outbound HTTP for nodes, on the calling (worker) thread: the SSRF guard before every request and
 * every redirect hop, connecting to exactly the address the guard checked (no second DNS lookup for
 * a rebinding answer to slip through), a response size limit that stops reading at the limit, a
 * timeout, and cancellation when the run is stopped (the request is reset).
 */
@ApplicationScoped
public class OutboundHttp {

  /** Why a call failed. */
  public enum Failure {
    /** The guard refused the address (or a redirect to it). */
    REFUSED,
    /** No answer within the timeout. */
    TIMEOUT,
    /** The response body is larger than the limit. */
    TOO_LARGE,
    /** The connection failed or broke. */
    CONNECTION,
    /** More redirects than allowed. */
    TOO_MANY_REDIRECTS,
    /** The run was stopped meanwhile. */
    STOPPED,
    /** The request could not be built (bad header, bad URL). */
    INVALID
  }

  /** A failed call; the message names the address without query or user info. */
  public static final class CallException extends Exception {
    private final Failure failure;

    CallException(Failure failure, String message) {
      super(message, null, false, false);
      this.failure = failure;
    }

    public Failure failure() {
      return failure;
    }
  }

  /**
   * One request.
   *
   * @param headers sent as given (names as given)
   * @param credentialHeaders header names that carry credentials: dropped on a redirect to another
   *     origin
   * @param allowPrivateNetwork the node asks to reach internal addresses (honoured only when the
   *     operator allows it)
   */
  public record Request(
      String method,
      URI uri,
      Map<String, String> headers,
      Set<String> credentialHeaders,
      Buffer body,
      long timeoutMs,
      boolean followRedirects,
      boolean allowPrivateNetwork) {}

  /**
   * The final response.
   *
   * @param headers lower-case names; repeated headers joined with ", "
   */
  public record Response(
      int status, String statusMessage, Map<String, String> headers, byte[] body, URI uri) {}

  private final HttpClient client;
  private final List<String> allowedHosts;
  private final ExecutorConfig.Http config;

  public OutboundHttp(
      Vertx vertx,
      ExecutorConfig config,
      @ConfigProperty(name = "linkflow.outbound.allowed-hosts") Optional<List<String>> allowed) {
    this.config = config.http();
    this.allowedHosts = allowed.orElse(List.of());
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setMaxPoolSize(config.http().maxConnectionsPerHost())
                .setKeepAlive(true)
                .setConnectTimeout(10_000)
                .setVerifyHost(true)
                .setForceSni(true)
                .setDecompressionSupported(true)
                .setMaxRedirects(0)
                .setName("http-request-node"));
  }

  /** The largest response body read. */
  public long maxResponseBytes() {
    return config.maxResponseBytes().asLongValue();
  }

  /** Sends {@code request}, following redirects if asked, on the calling thread. */
  public Response send(Request request, RunControl control) throws CallException {
    String method = request.method();
    URI uri = request.uri();
    Buffer body = request.body();
    Map<String, String> headers = new LinkedHashMap<>(request.headers());
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.timeoutMs());
    for (int hop = 0; ; hop++) {
      InetAddress pinned = check(uri, request.allowPrivateNetwork(), hop > 0);
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new CallException(Failure.TIMEOUT, "no answer within " + request.timeoutMs() + " ms");
      }
      Response response = exchange(method, uri, pinned, headers, body, left, request, control);
      int status = response.status();
      String location = response.headers().get("location");
      if (!request.followRedirects() || location == null || !isRedirect(status)) {
        return response;
      }
      if (hop >= config.maxRedirects()) {
        throw new CallException(
            Failure.TOO_MANY_REDIRECTS,
            "more than " + config.maxRedirects() + " redirects, the last to " + describe(uri));
      }
      URI next;
      try {
        next = uri.resolve(new URI(location.trim()));
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new CallException(
            Failure.INVALID, describe(uri) + " redirected to an invalid address");
      }
      if (status == 303 || ((status == 301 || status == 302) && "POST".equals(method))) {
        if (!"HEAD".equals(method)) {
          method = "GET";
        }
        body = null;
        headers.keySet().removeIf(h -> h.equalsIgnoreCase("content-type"));
      }
      if (!sameOrigin(uri, next)) {
        headers.keySet().removeIf(h -> isCredentialHeader(h, request.credentialHeaders()));
      }
      uri = next;
    }
  }

  /**
   * The SSRF guard for {@code uri}: returns the address to connect to (the one checked), or null to
   * let the client resolve (an allow-listed host, or private networks allowed).
   */
  private InetAddress check(URI uri, boolean allowPrivate, boolean redirect) throws CallException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String prefix = redirect ? "the redirect to " + describe(uri) + " was refused: " : "";
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new CallException(Failure.REFUSED, prefix + "only http and https URLs can be called");
    }
    if (allowPrivate && config.allowPrivateNetwork()) {
      return null;
    }
    AtomicReference<InetAddress[]> resolved = new AtomicReference<>();
    OutboundGuard guard =
        new OutboundGuard(
            allowedHosts,
            host -> {
              InetAddress[] addresses = InetAddress.getAllByName(host);
              resolved.set(addresses);
              return addresses;
            });
    try {
      guard.check(uri);
    } catch (OutboundGuard.RefusedException e) {
      String hint =
          allowPrivate
              ? "; the node sets allowPrivateNetwork, but this installation does not allow"
                  + " private network access: an operator must set"
                  + " linkflow.executor.http.allow-private-network=true or allow-list the host in"
                  + " linkflow.outbound.allowed-hosts"
              : e.getMessage().contains("internal address")
                  ? " (an operator can allow-list the host in linkflow.outbound.allowed-hosts)"
                  : "";
      throw new CallException(Failure.REFUSED, prefix + e.getMessage() + hint);
    }
    InetAddress[] addresses = resolved.get();
    return addresses == null || addresses.length == 0 ? null : addresses[0];
  }

  private Response exchange(
      String method,
      URI uri,
      InetAddress pinned,
      Map<String, String> headers,
      Buffer body,
      long timeoutMs,
      Request original,
      RunControl control)
      throws CallException {
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
    String host =
        uri.getHost().startsWith("[")
            ? uri.getHost().substring(1, uri.getHost().length() - 1)
            : uri.getHost();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(method))
            .setHost(host)
            .setPort(port)
            .setSsl(https)
            .setURI(path)
            .setFollowRedirects(false)
            .setConnectTimeout(Math.max(1, Math.min(timeoutMs, 10_000)));
    if (pinned != null) {
      options.setServer(SocketAddress.inetSocketAddress(port, pinned.getHostAddress()));
    }
    MultiMap sent = MultiMap.caseInsensitiveMultiMap();
    try {
      headers.forEach(sent::set);
      if (!sent.contains("user-agent")) {
        sent.set("User-Agent", "LinkFlow");
      }
    } catch (IllegalArgumentException e) {
      throw new CallException(Failure.INVALID, "a header is not valid: " + e.getMessage());
    }
    options.setHeaders(sent);
    long limit = maxResponseBytes();
    AtomicReference<HttpClientRequest> current = new AtomicReference<>();
    CompletableFuture<Response> answer = new CompletableFuture<>();
    Runnable unregister =
        control.onStop(
            () -> {
              answer.completeExceptionally(new CallException(Failure.STOPPED, "stopped"));
              HttpClientRequest request = current.get();
              if (request != null) {
                request.reset();
              }
            });
    try {
      client
          .request(options)
          .compose(
              request -> {
                current.set(request);
                if (answer.isDone()) {
                  request.reset();
                }
                return body == null ? request.send() : request.send(body);
              })
          .onSuccess(response -> read(response, uri, limit, answer, current))
          .onFailure(
              e ->
                  answer.completeExceptionally(
                      new CallException(
                          Failure.CONNECTION, describe(uri) + " failed: " + reason(e))));
      return answer.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      reset(current);
      throw new CallException(
          Failure.TIMEOUT,
          describe(uri) + " did not answer within " + original.timeoutMs() + " ms (timeoutMs)");
    } catch (InterruptedException e) {
      reset(current);
      Thread.currentThread().interrupt();
      throw new CallException(Failure.STOPPED, "stopped");
    } catch (ExecutionException e) {
      reset(current);
      if (e.getCause() instanceof CallException call) {
        throw call;
      }
      throw new CallException(
          Failure.CONNECTION, describe(uri) + " failed: " + reason(e.getCause()));
    } finally {
      unregister.run();
    }
  }

  private static void read(
      HttpClientResponse response,
      URI uri,
      long limit,
      CompletableFuture<Response> answer,
      AtomicReference<HttpClientRequest> current) {
    String declared = response.getHeader("content-length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > limit) {
          tooLarge(uri, limit, answer, current);
          return;
        }
      } catch (NumberFormatException ignored) {
        // read and count instead
      }
    }
    Buffer received = Buffer.buffer();
    response.handler(
        chunk -> {
          if (answer.isDone()) {
            return;
          }
          if ((long) received.length() + chunk.length() > limit) {
            tooLarge(uri, limit, answer, current);
          } else {
            received.appendBuffer(chunk);
          }
        });
    response.exceptionHandler(
        e ->
            answer.completeExceptionally(
                new CallException(
                    Failure.CONNECTION,
                    "reading the answer of " + describe(uri) + " failed: " + reason(e))));
    response.endHandler(
        v -> {
          Map<String, String> headers = new LinkedHashMap<>();
          for (Map.Entry<String, String> header : response.headers()) {
            headers.merge(
                header.getKey().toLowerCase(Locale.ROOT),
                header.getValue(),
                (a, b) -> a + ", " + b);
          }
          answer.complete(
              new Response(
                  response.statusCode(),
                  response.statusMessage(),
                  headers,
                  received.getBytes(),
                  uri));
        });
  }

  private static void tooLarge(
      URI uri,
      long limit,
      CompletableFuture<Response> answer,
      AtomicReference<HttpClientRequest> current) {
    answer.completeExceptionally(
        new CallException(
            Failure.TOO_LARGE,
            "the answer of "
                + describe(uri)
                + " is larger than the "
                + io.linkflow.executor.Sizes.bytes(limit)
                + " limit (linkflow.executor.http.max-response-bytes)"));
    reset(current);
  }

  private static void reset(AtomicReference<HttpClientRequest> current) {
    HttpClientRequest request = current.get();
    if (request != null) {
      request.reset();
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return String.valueOf(a.getScheme()).equalsIgnoreCase(String.valueOf(b.getScheme()))
        && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
        && effectivePort(a) == effectivePort(b);
  }

  private static int effectivePort(URI uri) {
    return uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static boolean isCredentialHeader(String name, Set<String> credentialHeaders) {
    return name.equalsIgnoreCase("authorization")
        || name.equalsIgnoreCase("cookie")
        || credentialHeaders.stream().anyMatch(name::equalsIgnoreCase);
  }

  /** scheme://host[:port]/path — never the query (it may carry keys) or user info. */
  public static String describe(URI uri) {
    StringBuilder text = new StringBuilder();
    text.append(uri.getScheme()).append("://").append(uri.getHost());
    if (uri.getPort() > 0) {
      text.append(':').append(uri.getPort());
    }
    text.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
    return text.toString();
  }

  private static String reason(Throwable e) {
    if (e == null) {
      return "unknown error";
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  @PreDestroy
  void close() {
    client.close();
  }
}
