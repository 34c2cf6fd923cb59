package io.linkflow.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linkflow.common.error.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reads a workflow (its latest saved version) from workflow-service's public API on behalf of the
 * person asking for a test event: their own token is relayed, so workflow-service applies their
 * workspace and role exactly as for any other read.
 */
@ApplicationScoped
public class WorkflowReader {

  private static final Logger LOG = Logger.getLogger(WorkflowReader.class);

  private final WebClient client;
  private final URI baseUrl;
  private final ObjectMapper mapper;
  private final long timeoutMs;

  public WorkflowReader(
      Vertx vertx,
      ObjectMapper mapper,
      @ConfigProperty(name = "linkflow.clients.workflow.url") URI baseUrl,
      @ConfigProperty(name = "linkflow.clients.timeout") Duration timeout) {
    this.client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout((int) Math.min(timeout.toMillis(), 5000))
                .setFollowRedirects(false));
    this.baseUrl = baseUrl;
    this.mapper = mapper;
    this.timeoutMs = timeout.toMillis();
  }

  /**
   * The workflow as {@code GET /api/v1/workflows/{id}} answers it to the caller whose {@code
   * Authorization} (or {@code X-API-Key}) is given; 404 when they cannot see it.
   */
  public Uni<JsonNode> read(UUID workflowId, String authorization, String apiKey) {
    HttpRequest<io.vertx.mutiny.core.buffer.Buffer> request =
        client
            .getAbs(baseUrl.resolve("/api/v1/workflows/" + workflowId).toString())
            .timeout(timeoutMs)
            .putHeader("Accept", "application/json");
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    if (apiKey != null) {
      request.putHeader("X-API-Key", apiKey);
    }
    return request
        .send()
        .onFailure()
        .transform(
            e -> {
              LOG.warnf("workflow-service is unreachable: %s", e.toString());
              return new ProblemException(503, "workflow-service is unreachable; try again.")
                  .withHeader("Retry-After", "5");
            })
        .map(
            response -> {
              int status = response.statusCode();
              if (status == 200) {
                try {
                  return mapper.readTree(response.bodyAsString());
                } catch (IOException e) {
                  throw new ProblemException(
                      502, "workflow-service answered something unreadable.");
                }
              }
              if (status == 404 || status == 401 || status == 403) {
                throw new ProblemException(
                    status == 404 ? 404 : status,
                    status == 404
                        ? "No such workflow in this workspace."
                        : "You may not read this workflow.");
              }
              LOG.warnf("workflow-service answered %d to a workflow read", status);
              throw new ProblemException(503, "workflow-service failed; try again.")
                  .withHeader("Retry-After", "5");
            });
  }
}
