package io.linkflow.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linkflow.security.ServiceTokens;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import java.io.IOException;
import java.util.function.Function;

/**
 * What the clients share: the bearer token of this service (client credentials), one retry with a
 * fresh token after a 401 (a rotated signing key, an expired cached token), and turning transport
 * failures and error statuses into {@link InternalCallException}s that name the callee.
 */
final class InternalHttp {

  static final ObjectMapper JSON = new ObjectMapper();

  private final ServiceTokens tokens;
  private final String service;

  InternalHttp(ServiceTokens tokens, String service) {
    this.tokens = tokens;
    this.service = service;
  }

  /**
   * Sends the request built by {@code request} with this service's token; after a 401 the token is
   * forgotten and the request sent once more with a new one.
   */
  Uni<HttpResponse<Buffer>> send(
      Function<String, Uni<HttpResponse<Buffer>>> request, boolean retried) {
    return token()
        .flatMap(
            token ->
                request
                    .apply(token)
                    .onFailure()
                    .transform(
                        e ->
                            e instanceof InternalCallException
                                ? e
                                : new InternalCallException(
                                    InternalCallException.Reason.UNAVAILABLE,
                                    0,
                                    service + " is unreachable: " + describe(e))))
        .flatMap(
            response -> {
              if (response.statusCode() == 401 && !retried) {
                tokens.invalidate();
                return send(request, true);
              }
              return Uni.createFrom().item(response);
            });
  }

  private Uni<String> token() {
    return tokens
        .token()
        .onFailure()
        .transform(
            e ->
                e instanceof IllegalStateException
                    ? new InternalCallException(
                        InternalCallException.Reason.REFUSED,
                        0,
                        "this service cannot authenticate to " + service + ": " + e.getMessage())
                    : new InternalCallException(
                        InternalCallException.Reason.UNAVAILABLE,
                        0,
                        "this service cannot get its service token (auth-service unreachable: "
                            + describe(e)
                            + ")"));
  }

  /** Adds the bearer token. */
  static HttpRequest<Buffer> bearer(HttpRequest<Buffer> request, String token) {
    return request.putHeader("Authorization", "Bearer " + token);
  }

  /** The exception for an unexpected status; 404 and 409 are the caller's to word. */
  InternalCallException failure(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    String detail = detail(response);
    if (status == 401) {
      return new InternalCallException(
          InternalCallException.Reason.REFUSED,
          status,
          service + " did not accept this service's token (HTTP 401)");
    }
    if (status == 403) {
      return new InternalCallException(
          InternalCallException.Reason.REFUSED,
          status,
          service + " refused this service (HTTP 403): its service client lacks the scope");
    }
    if (status >= 500 || status == 429) {
      return new InternalCallException(
          InternalCallException.Reason.UNAVAILABLE,
          status,
          service + " failed (HTTP " + status + ")" + (detail == null ? "" : ": " + detail));
    }
    return new InternalCallException(
        InternalCallException.Reason.REFUSED,
        status,
        service
            + " refused the request (HTTP "
            + status
            + ")"
            + (detail == null ? "" : ": " + detail));
  }

  /** The {@code detail} of a problem+json answer, or null. */
  static String detail(HttpResponse<Buffer> response) {
    Buffer body = response.body();
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      JsonNode problem = JSON.readTree(body.getBytes());
      JsonNode detail = problem == null ? null : problem.get("detail");
      return detail != null && detail.isTextual() ? detail.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  JsonNode body(HttpResponse<Buffer> response) {
    try {
      Buffer body = response.body();
      JsonNode node = body == null ? null : JSON.readTree(body.getBytes());
      if (node == null || !node.isObject()) {
        throw new IOException("not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new InternalCallException(
          InternalCallException.Reason.INVALID_RESPONSE,
          response.statusCode(),
          service + " answered something that is not the expected JSON object");
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
