package io.linkflow.security;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This service's own access token for calling other services' internal endpoints: the OAuth 2.0
 * client-credentials grant at auth-service ({@code POST /api/v1/auth/token}) with the client id and
 * secret of {@code linkflow.service-client.id} / {@code .secret}, cached until 30 seconds before it
 * expires. Concurrent callers share one request. The secret is never logged.
 */
@ApplicationScoped
public class ServiceTokens {

  private static final Logger LOG = Logger.getLogger(ServiceTokens.class);

  private record Cached(String token, long expiresAtNanos) {}

  private final WebClient client;
  private final URI authUrl;
  private final Optional<String> clientId;
  private final Optional<String> clientSecret;
  private volatile Cached cached;
  private Uni<String> inFlight;

  public ServiceTokens(
      Vertx vertx,
      @ConfigProperty(name = "linkflow.auth.url") URI authUrl,
      @ConfigProperty(name = "linkflow.service-client.id") Optional<String> clientId,
      @ConfigProperty(name = "linkflow.service-client.secret") Optional<String> clientSecret) {
    this.client =
        WebClient.create(
            vertx, new WebClientOptions().setConnectTimeout(2000).setIdleTimeout(30_000));
    this.authUrl = authUrl;
    this.clientId = clientId.filter(s -> !s.isBlank());
    this.clientSecret = clientSecret.filter(s -> !s.isBlank());
  }

  /** A valid token; fails with {@link IllegalStateException} when auth-service refuses. */
  public Uni<String> token() {
    Cached now = cached;
    if (now != null && System.nanoTime() < now.expiresAtNanos()) {
      return Uni.createFrom().item(now.token());
    }
    synchronized (this) {
      if (inFlight == null) {
        inFlight = fetch().onTermination().invoke(this::clearInFlight).memoize().indefinitely();
      }
      return inFlight;
    }
  }

  /** Forgets the cached token (after a 401 from the callee, e.g. a rotated signing key). */
  public void invalidate() {
    cached = null;
  }

  private synchronized void clearInFlight() {
    inFlight = null;
  }

  private Uni<String> fetch() {
    if (clientId.isEmpty() || clientSecret.isEmpty()) {
      return Uni.createFrom()
          .failure(
              new IllegalStateException(
                  "linkflow.service-client.id and .secret are not set: this service cannot call"
                      + " internal endpoints"));
    }
    MultiMap form =
        MultiMap.caseInsensitiveMultiMap()
            .add("grant_type", "client_credentials")
            .add("client_id", clientId.get())
            .add("client_secret", clientSecret.get());
    return client
        .postAbs(authUrl.resolve("/api/v1/auth/token").toString())
        .timeout(5000)
        .sendForm(form)
        .map(
            response -> {
              if (response.statusCode() != 200) {
                throw new IllegalStateException(
                    "auth-service refused the client credentials of "
                        + clientId.get()
                        + ": HTTP "
                        + response.statusCode());
              }
              JsonObject body = response.bodyAsJsonObject();
              String token = body.getString("access_token");
              long seconds = Math.max(1, body.getLong("expires_in", 60L) - 30);
              cached = new Cached(token, System.nanoTime() + Duration.ofSeconds(seconds).toNanos());
              return token;
            })
        .onFailure()
        .invoke(e -> LOG.warnf("Service token for %s: %s", clientId.get(), e.toString()));
  }

  @PreDestroy
  void close() {
    client.close();
  }
}
