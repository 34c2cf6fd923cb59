package io.linkflow.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Test URLs ({@code /webhook-test/{workspaceId}/{path}}): after a user asks for a test event, the
 * Webhook triggers of the workflow's latest saved version listen there for {@code
 * linkflow.webhook.test-window} (120 s), each for one call, as in n8n's editor. Kept in Redis (a
 * hash per path, field = method), so every replica answers; the first call takes the listener
 * (HDEL), so a second call to the same URL starts nothing.
 */
@ApplicationScoped
public class TestListeners {

  private final ReactiveRedisDataSource redis;
  private final ObjectMapper mapper;
  private final Duration window;

  public TestListeners(
      ReactiveRedisDataSource redis,
      ObjectMapper mapper,
      @ConfigProperty(name = "linkflow.webhook.test-window", defaultValue = "120s")
          Duration window) {
    this.redis = redis;
    this.mapper = mapper;
    this.window = window;
  }

  /** How long a test listener waits for its call. */
  public Duration window() {
    return window;
  }

  /** Starts listening on the test URLs of {@code hooks}; when they stop listening. */
  public Uni<Instant> listen(List<Webhook> hooks) {
    Instant until = Instant.now().plus(window);
    Uni<Void> all = Uni.createFrom().voidItem();
    for (Webhook hook : hooks) {
      String key = key(hook.workspaceId(), hook.path());
      String json = write(hook);
      all =
          all.call(() -> redis.execute("HSET", key, hook.method(), json))
              .call(() -> redis.execute("PEXPIRE", key, Long.toString(window.toMillis())))
              .replaceWithVoid();
    }
    return all.replaceWith(until);
  }

  /** The listeners on {@code path}, one per method (none: nobody listens). */
  public Uni<List<Webhook>> find(UUID workspaceId, String path) {
    return redis
        .execute("HVALS", key(workspaceId, path))
        .map(
            values -> {
              List<Webhook> hooks = new ArrayList<>();
              if (values != null) {
                for (Response value : values) {
                  hooks.add(read(value));
                }
              }
              return hooks;
            });
  }

  /** Takes the listener of {@code hook}'s method: true for the one call that gets it. */
  public Uni<Boolean> take(Webhook hook) {
    return redis
        .execute("HDEL", key(hook.workspaceId(), hook.path()), hook.method())
        .map(removed -> removed != null && removed.toLong() == 1);
  }

  private static String key(UUID workspaceId, String path) {
    return "webhook:test:" + workspaceId + ":" + path;
  }

  private String write(Webhook hook) {
    try {
      return mapper.writeValueAsString(hook);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a webhook cannot be written as JSON", e);
    }
  }

  private Webhook read(Response value) {
    try {
      return mapper.readValue(value.toString(), Webhook.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a test listener in Redis is not a webhook", e);
    }
  }
}
