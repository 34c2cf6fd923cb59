package io.linkflow.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.linkflow.security.crypto.Secrets;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Turns an API key into a short-lived access token at auth-service ({@code POST
 * /api/v1/auth/api-keys/token}) and caches the token, keyed by the key's SHA-256, until shortly
 * before it expires and at most {@code linkflow.security.api-key-cache-ttl}. A revoked key
 * therefore stops working everywhere within that time. The key itself is never logged or kept.
 */
@ApplicationScoped
public class ApiKeyExchange {

  private static final Logger LOG = Logger.getLogger(ApiKeyExchange.class);

  private record CachedToken(String accessToken, long ttlNanos) {}

  private final WebClient client;
  private final URI authUrl;
  private final Cache<String, CachedToken> cache;

  public ApiKeyExchange(
      Vertx vertx,
      @ConfigProperty(name = "linkflow.auth.url") URI authUrl,
      @ConfigProperty(name = "linkflow.security.api-key-cache-ttl", defaultValue = "60s")
          Duration maxTtl) {
    this.client =
        WebClient.create(
            vertx, new WebClientOptions().setConnectTimeout(2000).setIdleTimeout(30_000));
    this.authUrl = authUrl;
    long maxNanos = maxTtl.toNanos();
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfter(
                new Expiry<String, CachedToken>() {
                  @Override
                  public long expireAfterCreate(String key, CachedToken value, long currentTime) {
                    return Math.min(value.ttlNanos(), maxNanos);
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, CachedToken value, long currentTime, long currentDuration) {
                    return expireAfterCreate(key, value, currentTime);
                  }

                  @Override
                  public long expireAfterRead(
                      String key, CachedToken value, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .build();
  }

  /** The access token for {@code apiKey}; fails with 401 when auth-service refuses the key. */
  public Uni<String> accessToken(String apiKey) {
    String id = Secrets.sha256Hex(apiKey);
    CachedToken cached = cache.getIfPresent(id);
    if (cached != null) {
      return Uni.createFrom().item(cached.accessToken());
    }
    return client
        .postAbs(authUrl.resolve("/api/v1/auth/api-keys/token").toString())
        .putHeader("X-API-Key", apiKey)
        .timeout(5000)
        .send()
        .onFailure()
        .transform(
            e -> {
              LOG.warnf("API key exchange at %s failed: %s", authUrl, e.toString());
              return new AuthenticationFailedException("auth-service unreachable");
            })
        .map(
            response -> {
              if (response.statusCode() != 200) {
                throw new AuthenticationFailedException("API key refused");
              }
              JsonObject body = response.bodyAsJsonObject();
              String token = body.getString("accessToken");
              // keep a margin so a cached token never reaches a service already expired
              long seconds = Math.max(0, body.getLong("expiresIn", 0L) - 30);
              cache.put(id, new CachedToken(token, Duration.ofSeconds(seconds).toNanos()));
              return token;
            });
  }

  /** Forgets every cached exchange (tests, and operators via a restart). */
  public void invalidateAll() {
    cache.invalidateAll();
  }

  @PreDestroy
  void close() {
    client.close();
  }
}
