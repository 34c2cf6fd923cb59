package io.linkflow.credential;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OAuth 2.0 provider for tests on a free local port: it issues authorization codes for a PKCE
 * challenge (as its /authorize page would after the person consents), and its /token endpoint
 * exchanges them only with the matching code_verifier, client id and secret and redirect URI, and
 * refreshes tokens (rotating the refresh token) until they are revoked.
 */
final class FakeOAuth2Provider implements AutoCloseable {

  static final String CLIENT_ID = "linkflow-client";
  static final String CLIENT_SECRET = "client-s3cret-9921";

  /** Every access token lives this long, shorter than the refresher's lead time. */
  static final int EXPIRES_IN = 60;

  private record Grant(String challenge, String redirectUri) {}

  private final HttpServer server;
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
  private final AtomicInteger issued = new AtomicInteger();
  final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();

  FakeOAuth2Provider() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/token", this::token);
    server.start();
  }

  String authorizationUrl() {
    return base() + "/authorize?prompt=consent";
  }

  String tokenUrl() {
    return base() + "/token";
  }

  /** What the provider's consent page does: a code for this challenge and redirect URI. */
  String consent(String codeChallenge, String redirectUri) {
    String code = "code-" + UUID.randomUUID();
    codes.put(code, new Grant(codeChallenge, redirectUri));
    return code;
  }

  /** Every refresh token stops working (the person revoked the app). */
  void revokeAll() {
    refreshTokens.clear();
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void token(HttpExchange exchange) throws IOException {
    Map<String, String> form =
        parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    tokenRequests.add(form);
    if (!CLIENT_ID.equals(form.get("client_id"))
        || !CLIENT_SECRET.equals(form.get("client_secret"))) {
      reply(exchange, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    switch (String.valueOf(form.get("grant_type"))) {
      case "authorization_code" -> {
        Grant grant = codes.remove(String.valueOf(form.get("code")));
        if (grant == null
            || form.get("code_verifier") == null
            || !grant.challenge().equals(s256(form.get("code_verifier")))
            || !grant.redirectUri().equals(form.get("redirect_uri"))) {
          reply(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"bad code\"}");
          return;
        }
        reply(exchange, 200, tokens());
      }
      case "refresh_token" -> {
        if (!refreshTokens.remove(String.valueOf(form.get("refresh_token")))) {
          reply(
              exchange,
              400,
              "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been revoked\"}");
          return;
        }
        reply(exchange, 200, tokens());
      }
      default -> reply(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
    }
  }

  private String tokens() {
    int n = issued.incrementAndGet();
    String refresh = "refresh-" + n + "-" + UUID.randomUUID();
    refreshTokens.add(refresh);
    return "{\"access_token\":\"access-"
        + n
        + "\",\"token_type\":\"Bearer\",\"expires_in\":"
        + EXPIRES_IN
        + ",\"refresh_token\":\""
        + refresh
        + "\"}";
  }

  static String s256(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> parse(String query) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      String[] kv = pair.split("=", 2);
      values.put(
          URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return values;
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
