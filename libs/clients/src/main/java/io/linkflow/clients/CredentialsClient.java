package io.linkflow.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.security.ServiceTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * credential-service's internal decrypt ({@code POST /internal/v1/credentials/{id}/decrypt}), with
 * this service's client-credentials token (scope {@code credentials:decrypt}). Each call is audited
 * there; nothing is cached here. Plaintext is never logged.
 */
@ApplicationScoped
public class CredentialsClient {

  static final String SERVICE = "credential-service";

  private final WebClient client;
  private final InternalHttp http;
  private final URI baseUrl;
  private final long timeoutMs;

  public CredentialsClient(
      Vertx vertx,
      ServiceTokens tokens,
      @ConfigProperty(name = "linkflow.clients.credential.url") URI baseUrl,
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
  }

  /**
   * The plaintext of credential {@code credentialId} of {@code workspaceId}.
   *
   * @param executionId recorded on the audit trail; may be null
   * @return fails with {@link InternalCallException}: {@code NOT_FOUND} ("credential X does not
   *     exist in this workspace"), {@code NOT_USABLE} (not connected, needs reconnecting, token
   *     expired), {@code REFUSED}, {@code UNAVAILABLE} (retryable) or {@code INVALID_RESPONSE}
   */
  public Uni<DecryptedCredential> decrypt(
      String workspaceId, String credentialId, String executionId) {
    if (!isUuid(credentialId)) {
      return Uni.createFrom().failure(notFound(credentialId));
    }
    if (!isUuid(workspaceId)) {
      return Uni.createFrom()
          .failure(
              new InternalCallException(
                  InternalCallException.Reason.REFUSED,
                  0,
                  "the run names no valid workspace, so credential "
                      + credentialId
                      + " cannot be read"));
    }
    JsonObject body = new JsonObject().put("workspaceId", workspaceId);
    if (executionId != null && !executionId.isBlank()) {
      body.put("executionId", executionId);
    }
    String url =
        baseUrl.resolve("/internal/v1/credentials/" + credentialId + "/decrypt").toString();
    return http.send(
            token ->
                InternalHttp.bearer(client.postAbs(url), token)
                    .timeout(timeoutMs)
                    .sendJsonObject(body),
            false)
        .map(
            response -> {
              int status = response.statusCode();
              if (status == 200) {
                return read(http.body(response), credentialId);
              }
              if (status == 404) {
                throw notFound(credentialId);
              }
              if (status == 409) {
                String detail = InternalHttp.detail(response);
                throw new InternalCallException(
                    InternalCallException.Reason.NOT_USABLE,
                    status,
                    "credential "
                        + credentialId
                        + " cannot be used now"
                        + (detail == null ? "" : ": " + detail));
              }
              throw http.failure(response);
            });
  }

  private static DecryptedCredential read(JsonNode body, String credentialId) {
    JsonNode data = body.get("data");
    if (data == null || !data.isObject()) {
      throw new InternalCallException(
          InternalCallException.Reason.INVALID_RESPONSE,
          200,
          SERVICE + " answered credential " + credentialId + " without its fields");
    }
    Instant expiresAt = null;
    if (body.hasNonNull("expiresAt")) {
      try {
        expiresAt = Instant.parse(body.get("expiresAt").asText());
      } catch (DateTimeParseException ignored) {
        // an unreadable expiry is treated as unknown
      }
    }
    return new DecryptedCredential(
        text(body, "id", credentialId),
        text(body, "type", null),
        text(body, "name", null),
        (ObjectNode) data,
        text(body, "accessToken", null),
        expiresAt);
  }

  private static String text(JsonNode body, String field, String fallback) {
    JsonNode value = body.get(field);
    return value != null && value.isTextual() ? value.asText() : fallback;
  }

  private static InternalCallException notFound(String credentialId) {
    return new InternalCallException(
        InternalCallException.Reason.NOT_FOUND,
        404,
        "credential " + credentialId + " does not exist in this workspace");
  }

  static boolean isUuid(String value) {
    if (value == null) {
      return false;
    }
    try {
      UUID.fromString(value);
      return value.length() == 36;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @PreDestroy
  void close() {
    client.close();
  }
}
