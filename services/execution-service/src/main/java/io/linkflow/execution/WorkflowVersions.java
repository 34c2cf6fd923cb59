package io.linkflow.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.linkflow.engine.wire.Wire;
import io.linkflow.execution.engine.Graph;
import io.linkflow.nodes.Catalog;
import io.linkflow.security.ServiceTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The pinned workflow versions executions run, read from workflow-service's internal endpoint
 * ({@code GET /internal/v1/workflow-versions/{id}?workspaceId=}) with this service's token and kept
 * in memory: a version never changes. Transient failures are retried with backoff; a version that
 * does not exist is a {@link VersionNotFound}.
 */
@ApplicationScoped
public class WorkflowVersions {

  private static final Logger LOG = Logger.getLogger(WorkflowVersions.class);

  /** The version (or workflow) does not exist in that workspace. */
  public static final class VersionNotFound extends RuntimeException {
    public VersionNotFound(UUID id) {
      super(id + " does not exist in this workspace");
    }
  }

  private final WebClient client;
  private final URI baseUrl;
  private final ServiceTokens tokens;
  private final Catalog catalog = Catalog.builtIn();
  private final Cache<UUID, Graph> cache;

  public WorkflowVersions(
      Vertx vertx,
      ServiceTokens tokens,
      @ConfigProperty(
              name = "linkflow.clients.workflow.url",
              defaultValue = "http://localhost:8103")
          URI baseUrl,
      @ConfigProperty(name = "linkflow.execution.version-cache-size", defaultValue = "2000")
          int cacheSize) {
    this.client =
        WebClient.create(
            vertx, new WebClientOptions().setConnectTimeout(2000).setIdleTimeout(30_000));
    this.tokens = tokens;
    this.baseUrl = baseUrl;
    this.cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
  }

  /** The version's graph; cached after the first read. */
  public Uni<Graph> graph(UUID workspaceId, UUID versionId) {
    Graph cached = cache.getIfPresent(versionId);
    if (cached != null) {
      return Uni.createFrom().item(cached);
    }
    return fetch(workspaceId, versionId, true)
        .onFailure(e -> !(e instanceof VersionNotFound))
        .retry()
        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
        .atMost(6)
        .invoke(graph -> cache.put(versionId, graph));
  }

  /**
   * The version a workflow runs now (its active version, else its latest), read each time: what a
   * sub-workflow or an error workflow starts with. {@link VersionNotFound} when the workflow does
   * not exist (or was deleted) in the workspace.
   */
  public Uni<Graph> current(UUID workspaceId, UUID workflowId) {
    return get(
            "/internal/v1/workflow-versions?workflowId=" + workflowId,
            workspaceId,
            workflowId,
            true)
        .onFailure(e -> !(e instanceof VersionNotFound))
        .retry()
        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
        .atMost(6)
        .invoke(graph -> cache.put(graph.versionId(), graph));
  }

  private Uni<Graph> fetch(UUID workspaceId, UUID versionId, boolean retryOn401) {
    return get("/internal/v1/workflow-versions/" + versionId, workspaceId, versionId, retryOn401);
  }

  private Uni<Graph> get(String path, UUID workspaceId, UUID subject, boolean retryOn401) {
    return tokens
        .token()
        .flatMap(
            token ->
                client
                    .getAbs(baseUrl.resolve(path).toString())
                    .addQueryParam("workspaceId", workspaceId.toString())
                    .bearerTokenAuthentication(token)
                    .timeout(5000)
                    .send())
        .flatMap(
            response -> {
              if (response.statusCode() == 401 && retryOn401) {
                tokens.invalidate();
                return get(path, workspaceId, subject, false);
              }
              return Uni.createFrom().item(() -> parse(response, subject));
            });
  }

  private Graph parse(HttpResponse<?> response, UUID subject) {
    if (response.statusCode() == 404) {
      throw new VersionNotFound(subject);
    }
    if (response.statusCode() != 200) {
      LOG.warnf("workflow version of %s: HTTP %d", subject, response.statusCode());
      throw new IllegalStateException(
          "workflow-service answered HTTP " + response.statusCode() + " for " + subject);
    }
    JsonNode version = Wire.read(response.bodyAsString(), JsonNode.class);
    return Graph.of(version, catalog);
  }

  @PreDestroy
  void close() {
    client.close();
  }
}
