package io.linkflow.executor.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linkflow.clients.DecryptedCredential;
import io.linkflow.executor.run.RunControl;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens of {@code oauth2ClientCredentials} credentials: the client-credentials grant at the
 * credential's {@code tokenUrl} (through the SSRF guard, no redirects), cached until 30 s before
 * {@code expires_in} (60 s when the provider does not say) under a digest of the credential id and
 * its fields, so changing the credential fetches a new token.
 */
@ApplicationScoped
public class OAuth2Tokens {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_CACHED = 10_000;

  private record Cached(String token, long expiresAtNanos) {}

  /** The grant failed; {@code retryable} when the endpoint was unavailable. */
  static final class GrantException extends Exception {
    private final boolean retryable;

    GrantException(String message, boolean retryable) {
      super(message, null, false, false);
      this.retryable = retryable;
    }

    boolean retryable() {
      return retryable;
    }
  }

  private final OutboundHttp http;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public OAuth2Tokens(OutboundHttp http) {
    this.http = http;
  }

  /** A valid access token for {@code credential}, from the cache or a new grant. */
  String token(DecryptedCredential credential, long timeoutMs, RunControl control)
      throws GrantException {
    String key = key(credential);
    Cached cached = cache.get(key);
    if (cached != null && System.nanoTime() < cached.expiresAtNanos()) {
      return cached.token();
    }
    Cached fresh = grant(credential, timeoutMs, control);
    if (cache.size() >= MAX_CACHED) {
      long now = System.nanoTime();
      cache.values().removeIf(c -> now >= c.expiresAtNanos());
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
    }
    cache.put(key, fresh);
    return fresh.token();
  }

  /** Forgets the token of {@code credential} (the API answered 401 with it). */
  void invalidate(DecryptedCredential credential) {
    cache.remove(key(credential));
  }

  private Cached grant(DecryptedCredential credential, long timeoutMs, RunControl control)
      throws GrantException {
    String tokenUrl = credential.field("tokenUrl");
    String clientId = credential.field("clientId");
    String clientSecret = credential.field("clientSecret");
    if (tokenUrl == null || clientId == null || clientSecret == null) {
      throw new GrantException(
          "the oauth2ClientCredentials credential lacks tokenUrl, clientId or clientSecret", false);
    }
    URI uri;
    try {
      uri = URI.create(tokenUrl.trim());
    } catch (IllegalArgumentException e) {
      throw new GrantException("the credential's tokenUrl is not a valid URL", false);
    }
    StringBuilder form = new StringBuilder("grant_type=client_credentials");
    String scope = credential.field("scope");
    if (scope != null && !scope.isBlank()) {
      form.append("&scope=").append(encode(scope));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-www-form-urlencoded");
    headers.put("Accept", "application/json");
    if ("body".equals(credential.field("authentication"))) {
      form.append("&client_id=").append(encode(clientId));
      form.append("&client_secret=").append(encode(clientSecret));
    } else {
      headers.put(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      (encode(clientId) + ":" + encode(clientSecret))
                          .getBytes(StandardCharsets.UTF_8)));
    }
    OutboundHttp.Response response;
    try {
      response =
          http.send(
              new OutboundHttp.Request(
                  "POST",
                  uri,
                  headers,
                  Set.of(),
                  Buffer.buffer(form.toString()),
                  Math.min(timeoutMs, 30_000),
                  false,
                  false),
              control);
    } catch (OutboundHttp.CallException e) {
      boolean retryable =
          e.failure() == OutboundHttp.Failure.TIMEOUT
              || e.failure() == OutboundHttp.Failure.CONNECTION;
      throw new GrantException("the token endpoint: " + e.getMessage(), retryable);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    int status = response.status();
    if (status != 200 || body == null || !body.hasNonNull("access_token")) {
      String error =
          body != null && body.hasNonNull("error") ? ": " + body.get("error").asText() : "";
      throw new GrantException(
          "the token endpoint "
              + OutboundHttp.describe(uri)
              + " refused the client credentials (HTTP "
              + status
              + error
              + ")",
          status == 429 || status >= 500);
    }
    long seconds = body.hasNonNull("expires_in") ? body.get("expires_in").asLong(60) : 60;
    long keep = Math.max(1, seconds - 30);
    return new Cached(body.get("access_token").asText(), System.nanoTime() + keep * 1_000_000_000L);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String key(DecryptedCredential credential) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String part :
          new String[] {
            credential.id(),
            credential.field("tokenUrl"),
            credential.field("clientId"),
            credential.field("clientSecret"),
            credential.field("scope"),
            credential.field("authentication")
          }) {
        digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
