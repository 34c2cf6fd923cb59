package io.linkflow.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.linkflow.security.ServiceTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * variable-service's internal read ({@code GET /internal/v1/variables?workspaceId=}): every
 * variable of a workspace with secret values unsealed ({@code $vars} of a run), with this service's
 * client-credentials token (scope {@code variable-values:read}). Answers are cached per workspace
 * for {@code linkflow.clients.variable.cache-ttl} (5 s; 0 turns the cache off), so the runs of one
 * execution do not each call; concurrent callers share one request; failures are not cached. Values
 * are never logged.
 */
@ApplicationScoped
public class VariablesClient {

  static final String SERVICE = "variable-service";

  private final WebClient client;
  private final InternalHttp http;
  private final URI baseUrl;
  private final long timeoutMs;
  private final AsyncCache<String, Map<String, String>> cache;

  public VariablesClient(
      Vertx vertx,
      ServiceTokens tokens,
      @ConfigProperty(name = "linkflow.clients.variable.url") URI baseUrl,
      @ConfigProperty(name = "linkflow.clients.variable.cache-ttl") Duration ttl,
      @ConfigProperty(name = "linkflow.clients.timeout") Duration timeout) {
    this.client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout((int) Math.min(timeout.toMillis(), 5000))
                .setIdleTimeout(30)
                .setFollowRedirects(false));
    this.http = new InternalHttp(tokens, SERVICE);
    this.baseUrl = baseUrl;
    this.timeoutMs = timeout.toMillis();
    this.cache =
        ttl.isZero() || ttl.isNegative()
            ? null
            : Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).buildAsync();
  }

  /**
   * Every variable of {@code workspaceId}, key → value, secret values in plaintext.
   *
   * @return fails with {@link InternalCallException} ({@code UNAVAILABLE} is retryable)
   */
  public Uni<Map<String, String>> values(String workspaceId) {
    if (!CredentialsClient.isUuid(workspaceId)) {
      return Uni.createFrom()
          .failure(
              new InternalCallException(
                  InternalCallException.Reason.REFUSED,
                  0,
                  "the run names no valid workspace, so its variables cannot be read"));
    }
    if (cache == null) {
      return fetch(workspaceId);
    }
    return Uni.createFrom()
        .deferred(
            () -> {
              CompletableFuture<Map<String, String>> answer =
                  cache.get(
                      workspaceId, (key, executor) -> fetch(key).subscribeAsCompletionStage());
              // Caffeine drops a failed future too, but perhaps only after this caller saw it
              return Uni.createFrom()
                  .completionStage(answer)
                  .onFailure()
                  .invoke(() -> cache.asMap().remove(workspaceId, answer));
            });
  }

  /** Forgets the cached variables of a workspace. */
  public void invalidate(String workspaceId) {
    if (cache != null) {
      cache.synchronous().invalidate(workspaceId);
    }
  }

  private Uni<Map<String, String>> fetch(String workspaceId) {
    String url =
        baseUrl.resolve("/internal/v1/variables").toString()
            + "?workspaceId="
            + URLEncoder.encode(workspaceId, StandardCharsets.UTF_8);
    return http.send(
            token -> InternalHttp.bearer(client.getAbs(url), token).timeout(timeoutMs).send(),
            false)
        .map(
            response -> {
              if (response.statusCode() != 200) {
                throw http.failure(response);
              }
              JsonNode values = http.body(response).get("values");
              if (values == null || !values.isObject()) {
                throw new InternalCallException(
                    InternalCallException.Reason.INVALID_RESPONSE,
                    200,
                    SERVICE + " answered without values");
              }
              Map<String, String> map = new LinkedHashMap<>();
              values
                  .properties()
                  .forEach(
                      e ->
                          map.put(
                              e.getKey(),
                              e.getValue().isTextual()
                                  ? e.getValue().asText()
                                  : e.getValue().toString()));
              return Map.copyOf(map);
            });
  }

  @PreDestroy
  void close() {
    client.close();
  }
}
