package io.linkflow.schedule.housekeeping;

import io.linkflow.security.ServiceTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * execution-service's housekeeping endpoint ({@code POST /internal/v1/housekeeping/{job}}) with
 * this service's client-credentials token (client {@code schedule}, scope {@code
 * housekeeping:run}). A 401 is retried once with a fresh token (a rotated signing key); any other
 * answer than 200 fails with {@link HousekeepingCallException}, naming the status and the problem's
 * detail.
 */
@ApplicationScoped
public class ExecutionHousekeepingClient {

  static final String SERVICE = "execution-service";

  private final WebClient client;
  private final ServiceTokens tokens;
  private final URI baseUrl;
  private final long timeoutMs;

  public ExecutionHousekeepingClient(
      Vertx vertx,
      ServiceTokens tokens,
      @ConfigProperty(name = "linkflow.clients.execution.url") URI baseUrl,
      @ConfigProperty(name = "linkflow.housekeeping.call-timeout", defaultValue = "2m")
          Duration timeout) {
    this.client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setConnectTimeout(5000)
                .setIdleTimeout((int) Math.max(60, timeout.toSeconds() + 10))
                .setFollowRedirects(false));
    this.tokens = tokens;
    this.baseUrl = baseUrl;
    this.timeoutMs = timeout.toMillis();
  }

  /** Runs {@code job} in execution-service; its JSON answer. */
  public Uni<JsonObject> run(String job, String query) {
    String url =
        baseUrl.resolve("/internal/v1/housekeeping/" + job).toString()
            + (query == null || query.isEmpty() ? "" : "?" + query);
    return send(url, false);
  }

  private Uni<JsonObject> send(String url, boolean retried) {
    return tokens
        .token()
        .onFailure()
        .transform(
            e ->
                new HousekeepingCallException(
                    "this service cannot get its service token (client schedule): " + describe(e)))
        .flatMap(
            token ->
                client
                    .postAbs(url)
                    .putHeader("Authorization", "Bearer " + token)
                    .timeout(timeoutMs)
                    .send()
                    .onFailure()
                    .transform(
                        e ->
                            new HousekeepingCallException(
                                SERVICE + " is unreachable at " + url + ": " + describe(e))))
        .flatMap(
            response -> {
              if (response.statusCode() == 401 && !retried) {
                tokens.invalidate();
                return send(url, true);
              }
              if (response.statusCode() != 200) {
                throw new HousekeepingCallException(
                    SERVICE + " answered HTTP " + response.statusCode() + detail(response));
              }
              try {
                return Uni.createFrom().item(response.bodyAsJsonObject());
              } catch (RuntimeException e) {
                throw new HousekeepingCallException(
                    SERVICE + " answered something that is not a JSON object");
              }
            });
  }

  private static String detail(HttpResponse<Buffer> response) {
    try {
      JsonObject problem = response.bodyAsJsonObject();
      String detail = problem == null ? null : problem.getString("detail");
      return detail == null ? "" : ": " + detail;
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  @PreDestroy
  void close() {
    client.close();
  }

  /** A housekeeping call to another service failed; the message says how, never a secret. */
  public static final class HousekeepingCallException extends RuntimeException {
    public HousekeepingCallException(String message) {
      super(message, null, false, false);
    }
  }
}
