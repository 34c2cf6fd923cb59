package io.linkflow.common.health;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /health}, {@code /health/live} and {@code /health/ready} in the operations guide's JSON.
 * Readiness probes every dependency listed in {@code linkflow.health.checks} (in parallel, each
 * with a timeout) and answers 503 naming the failing one; it recovers as soon as the dependency
 * does, since nothing is cached between probes.
 */
@Path("/health")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "health", description = "Liveness and readiness")
public class HealthResource {

  private final Instance<DependencyCheck> checks;
  private final List<String> checkNames;
  private final Duration timeout;
  private final String version;
  private final Instant started = Instant.now();

  public HealthResource(
      @Any Instance<DependencyCheck> checks,
      @ConfigProperty(name = "linkflow.health.checks") Optional<List<String>> checkNames,
      @ConfigProperty(name = "linkflow.health.timeout", defaultValue = "2s") Duration timeout,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
          String version) {
    this.checks = checks;
    this.checkNames = checkNames.orElse(List.of());
    this.timeout = timeout;
    this.version = version;
  }

  /** Fails start-up when a configured check has no implementation: a typo must not go unseen. */
  void verify(@Observes StartupEvent ignored) {
    for (String name : checkNames) {
      if (checks.select(NamedLiteral.of(name)).isUnsatisfied()) {
        throw new IllegalStateException(
            "linkflow.health.checks names '" + name + "', but no DependencyCheck has that name");
      }
    }
  }

  @GET
  @Operation(summary = "Overall health: liveness plus every dependency check")
  public Uni<Response> health() {
    return ready();
  }

  @GET
  @Path("/live")
  @Operation(summary = "Liveness: the process is up and serving HTTP")
  public Response live() {
    return respond(new HealthReport(HealthReport.HEALTHY, Map.of(), version, uptime()));
  }

  @GET
  @Path("/ready")
  @Operation(summary = "Readiness: every dependency this service uses answers")
  public Uni<Response> ready() {
    if (checkNames.isEmpty()) {
      return Uni.createFrom().item(live());
    }
    return Multi.createFrom()
        .iterable(checkNames)
        .onItem()
        .transformToUniAndMerge(this::run)
        .collect()
        .asMap(Map.Entry::getKey, Map.Entry::getValue)
        .map(this::report)
        .map(HealthResource::respond);
  }

  private Uni<Map.Entry<String, String>> run(String name) {
    return Uni.createFrom()
        .deferred(() -> checks.select(NamedLiteral.of(name)).get().probe())
        .ifNoItem()
        .after(timeout)
        .failWith(() -> new IllegalStateException("no answer within " + timeout.toMillis() + " ms"))
        .map(ok -> Map.entry(name, HealthReport.OK))
        .onFailure()
        .recoverWithItem(e -> Map.entry(name, "down: " + describe(e)));
  }

  private HealthReport report(Map<String, String> results) {
    Map<String, String> ordered = new LinkedHashMap<>();
    checkNames.forEach(name -> ordered.put(name, results.get(name)));
    boolean healthy = ordered.values().stream().allMatch(HealthReport.OK::equals);
    return new HealthReport(
        healthy ? HealthReport.HEALTHY : HealthReport.UNHEALTHY, ordered, version, uptime());
  }

  private String uptime() {
    return HealthReport.formatUptime(Duration.between(started, Instant.now()));
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }

  private static Response respond(HealthReport report) {
    return Response.status(report.healthy() ? 200 : 503)
        .type(MediaType.APPLICATION_JSON)
        .entity(report)
        .build();
  }
}
