package io.linkflow.credential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linkflow.security.net.OutboundGuard;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Calls a provider's OAuth 2.0 token endpoint (RFC 6749 §4.1.3 code exchange, §6 refresh) with the
 * JDK HTTP client: a form POST, client credentials in the body ({@code client_secret_post}), a JSON
 * answer. Tokens never reach a log line.
 */
@ApplicationScoped
public class OAuth2Client {

  /** A token endpoint's answer; {@code expiresIn} (seconds) and {@code refreshToken} optional. */
  public record Tokens(String accessToken, String refreshToken, Long expiresIn) {}

  /**
   * The token endpoint did not issue tokens. {@code refused}: it answered with an OAuth error (e.g.
   * {@code invalid_grant}) — asking again will not help; otherwise it could not be reached or
   * failed, and a retry may succeed.
   */
  public static final class TokenEndpointException extends RuntimeException {
    private final boolean refused;

    TokenEndpointException(String message, boolean refused) {
      super(message, null, false, false);
      this.refused = refused;
    }

    public boolean refused() {
      return refused;
    }
  }

  private static final int MAX_DESCRIPTION = 200;

  private final HttpClient http;
  private final Duration timeout;
  private final ObjectMapper json;
  private final OutboundGuard guard;

  public OAuth2Client(
      @ConfigProperty(name = "linkflow.credential.oauth2.http-timeout", defaultValue = "10s")
          Duration timeout,
      ObjectMapper json,
      OutboundGuard guard) {
    this.timeout = timeout;
    this.json = json;
    this.guard = guard;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * POSTs {@code form} to {@code tokenUrl}; fails with {@link TokenEndpointException}. The URL must
   * pass the {@link OutboundGuard} (no internal addresses) — checked on a worker thread, since it
   * resolves the host.
   */
  public Uni<Tokens> token(String tokenUrl, Map<String, String> form) {
    URI uri;
    try {
      uri = URI.create(tokenUrl);
    } catch (IllegalArgumentException | NullPointerException e) {
      return Uni.createFrom().failure(new TokenEndpointException("the token URL is invalid", true));
    }
    if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
        || uri.getHost() == null) {
      return Uni.createFrom()
          .failure(new TokenEndpointException("the token URL is not an http(s) URL", true));
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
            .build();
    // continue on the caller's Vert.x context (request id in the log, the reactive SQL client)
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    URI target = uri;
    return Uni.createFrom()
        .item(
            () -> {
              try {
                guard.check(target);
              } catch (OutboundGuard.RefusedException refused) {
                throw new TokenEndpointException(
                    "the token URL cannot be called: " + refused.getMessage(), true);
              }
              return target;
            })
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .chain(
            checked ->
                Uni.createFrom()
                    .completionStage(
                        () -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString())))
        .emitOn(
            context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run()))
        .onFailure(e -> !(e instanceof TokenEndpointException))
        .transform(
            e ->
                new TokenEndpointException(
                    "the token endpoint could not be reached ("
                        + e.getClass().getSimpleName()
                        + ")",
                    false))
        .map(this::read);
  }

  private Tokens read(HttpResponse<String> response) {
    JsonNode body;
    try {
      body = json.readTree(response.body());
    } catch (Exception e) {
      body = null;
    }
    int status = response.statusCode();
    if (status / 100 == 2 && body != null && body.hasNonNull("access_token")) {
      return new Tokens(
          body.get("access_token").asText(),
          body.hasNonNull("refresh_token") ? body.get("refresh_token").asText() : null,
          body.hasNonNull("expires_in") ? body.get("expires_in").asLong() : null);
    }
    if ((status == 400 || status == 401) && body != null && body.hasNonNull("error")) {
      String error = body.get("error").asText();
      String description =
          body.hasNonNull("error_description") ? body.get("error_description").asText() : "";
      if (description.length() > MAX_DESCRIPTION) {
        description = description.substring(0, MAX_DESCRIPTION) + "…";
      }
      return fail(error + (description.isEmpty() ? "" : ": " + description), true);
    }
    return fail("the token endpoint answered HTTP " + status, status / 100 == 2);
  }

  private static Tokens fail(String message, boolean refused) {
    throw new TokenEndpointException(message, refused);
  }

  private static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .filter(e -> e.getValue() != null)
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  static String query(Map<String, String> parameters) {
    return encode(parameters);
  }
}
