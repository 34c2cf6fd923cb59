package io.linkflow.common.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The first handler of every HTTP request: assigns the request id (echoed in {@code X-Request-ID}
 * and put in the log context), counts the request in {@code http_requests_total}, {@code
 * http_request_duration_seconds} and {@code http_requests_in_flight}, and writes one JSON access
 * line when the response ends.
 */
@ApplicationScoped
public class HttpObservabilityFilter {

  static final Logger ACCESS = Logger.getLogger("io.linkflow.access");

  /** Set by Quarkus REST to the matched route template, e.g. {@code /api/v1/workflows/{id}}. */
  static final String URL_TEMPLATE_KEY = "UrlPathTemplate";

  /** Histogram buckets: fine below 100 ms where API calls live, coarse up to 10 s. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };

  private final MeterRegistry registry;
  private final AtomicInteger inFlight;

  public HttpObservabilityFilter(MeterRegistry registry) {
    this.registry = registry;
    this.inFlight = registry.gauge("http.requests.in.flight", new AtomicInteger());
  }

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE + 1).handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    String requestId = RequestIds.acceptOrGenerate(ctx.request().getHeader(RequestIds.HEADER));
    MDC.put(RequestIds.MDC_KEY, requestId);
    ctx.put(RequestIds.MDC_KEY, requestId);
    ctx.response().putHeader(RequestIds.HEADER, requestId);
    inFlight.incrementAndGet();
    ctx.addEndHandler(ignored -> finish(ctx, requestId, start));
    ctx.next();
  }

  private void finish(RoutingContext ctx, String requestId, long start) {
    inFlight.decrementAndGet();
    long nanos = System.nanoTime() - start;
    int status = ctx.response().getStatusCode();
    String method = ctx.request().method().name();
    String route = routeOf(ctx, status);
    String statusLabel = Integer.toString(status);
    Counter.builder("http.requests")
        .description("HTTP requests handled")
        .tag("method", method)
        .tag("route", route)
        .tag("status", statusLabel)
        .register(registry)
        .increment();
    Timer.builder("http.request.duration")
        .description("HTTP request latency")
        .tag("method", method)
        .tag("route", route)
        .tag("status", statusLabel)
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(Duration.ofNanos(nanos));
    MDC.put(RequestIds.MDC_KEY, requestId);
    MDC.put("method", method);
    MDC.put("path", ctx.request().path());
    MDC.put("route", route);
    MDC.put("status", status);
    MDC.put("duration_ms", nanos / 1_000_000.0);
    MDC.put("bytes", ctx.response().bytesWritten());
    try {
      ACCESS.infof("%s %s %d", method, ctx.request().path(), status);
    } finally {
      for (String key :
          new String[] {"method", "path", "route", "status", "duration_ms", "bytes"}) {
        MDC.remove(key);
      }
    }
  }

  private static String routeOf(RoutingContext ctx, int status) {
    Object template =
        ((HttpServerRequestInternal) ctx.request()).context().getLocal(URL_TEMPLATE_KEY);
    if (template == null) {
      template = ctx.get(URL_TEMPLATE_KEY);
    }
    if (template != null) {
      return template.toString();
    }
    if (status == 404) {
      return "NOT_FOUND";
    }
    String path = ctx.currentRoute() == null ? null : ctx.currentRoute().getPath();
    return path != null && !path.equals("/") ? path : "UNMATCHED";
  }
}
