package io.linkflow.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Issues access tokens shaped exactly like auth-service's (RS256, {@code kid}, {@code iss}, {@code
 * aud}, {@code sub}, {@code wid}, {@code groups}, {@code scope}) and serves its public key as a
 * JWKS at {@code <url>/api/v1/auth/jwks}, so a service under test verifies tokens over HTTP just as
 * it does in production. One issuer per test JVM; {@link RealInfrastructure} points services at it.
 *
 * <pre>{@code
 * String token = TestIssuer.get().token(userId, workspaceId, "editor");
 * given().auth().oauth2(token).get("/api/v1/...");
 * }</pre>
 */
public final class TestIssuer {

  /** The {@code iss} every LinkFlow service expects by default. */
  public static final String ISSUER = "http://localhost:8000/api/v1/auth";

  public static final String AUDIENCE = "linkflow";

  private static TestIssuer instance;

  private final RsaJsonWebKey key;
  private final RsaJsonWebKey strangerKey;
  private final HttpServer server;
  private final Map<String, String[]> clients = new ConcurrentHashMap<>();

  private TestIssuer() throws JoseException, IOException {
    key = RsaJwkGenerator.generateJwk(2048);
    key.setKeyId("test-" + UUID.randomUUID());
    strangerKey = RsaJwkGenerator.generateJwk(2048);
    strangerKey.setKeyId(key.getKeyId()); // same kid, different key: a forged token
    String jwks = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newSingleThreadExecutor(r -> daemon(r, "test-issuer")));
    server.createContext(
        "/api/v1/auth/jwks",
        exchange -> {
          byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.createContext(
        "/api/v1/auth/token",
        exchange -> {
          String form =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Map<String, String> fields = new HashMap<>();
          for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
              fields.put(
                  URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                  URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
          }
          String[] client = clients.get(fields.getOrDefault("client_id", ""));
          int status;
          String answer;
          if (client == null || !client[0].equals(fields.get("client_secret"))) {
            status = 401;
            answer = "{\"title\":\"invalid_client\"}";
          } else {
            status = 200;
            String token =
                builder()
                    .subject("service:" + fields.get("client_id"))
                    .workspace(null)
                    .scope(client[1])
                    .sign();
            answer =
                "{\"access_token\":\""
                    + token
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":900,\"scope\":\""
                    + client[1]
                    + "\"}";
          }
          byte[] body = answer.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  /** The issuer of this test JVM, started on first use. */
  public static synchronized TestIssuer get() {
    if (instance == null) {
      try {
        instance = new TestIssuer();
      } catch (JoseException | IOException e) {
        throw new IllegalStateException("Cannot start the test token issuer", e);
      }
    }
    return instance;
  }

  /**
   * Lets a service client get tokens at {@code POST /api/v1/auth/token} (client credentials, form
   * fields), as auth-service grants them: {@code sub = service:<id>}, no workspace, {@code scope}.
   */
  public void registerClient(String id, String secret, String scope) {
    clients.put(id, new String[] {secret, scope});
  }

  /** Where its JWKS is: the value for {@code linkflow.auth.url}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A valid 15-minute token of a person with {@code role} in {@code workspaceId}. */
  public String token(UUID userId, UUID workspaceId, String role) {
    return builder().subject(userId.toString()).workspace(workspaceId).role(role).sign();
  }

  /** A token to customise: every field starts valid. */
  public Builder builder() {
    return new Builder();
  }

  /** Builds one token; {@link #sign()} with the issuer's key, or forge it with the others. */
  public final class Builder {
    private String subject = UUID.randomUUID().toString();
    private String issuer = ISSUER;
    private String audience = AUDIENCE;
    private UUID workspace = UUID.randomUUID();
    private final List<String> roles = new ArrayList<>();
    private String scope = "api";
    private Instant expiresAt = Instant.now().plus(Duration.ofMinutes(15));
    private final Map<String, Object> extra = new java.util.LinkedHashMap<>();

    public Builder subject(String value) {
      subject = value;
      return this;
    }

    public Builder issuer(String value) {
      issuer = value;
      return this;
    }

    public Builder audience(String value) {
      audience = value;
      return this;
    }

    /** The {@code wid} claim; null for a service token. */
    public Builder workspace(UUID value) {
      workspace = value;
      return this;
    }

    public Builder role(String value) {
      roles.add(value);
      return this;
    }

    public Builder scope(String value) {
      scope = value;
      return this;
    }

    public Builder expiresAt(Instant value) {
      expiresAt = value;
      return this;
    }

    public Builder claim(String name, Object value) {
      extra.put(name, value);
      return this;
    }

    /** Signed with the key the JWKS publishes. */
    public String sign() {
      return sign(key, AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    /** Signed with a different RSA key under the same {@code kid}. */
    public String signWithStrangerKey() {
      return sign(strangerKey, AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    /** {@code alg: none}, no signature. */
    public String unsigned() {
      String header =
          base64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + key.getKeyId() + "\"}");
      return header + "." + base64(claims().toJson()) + ".";
    }

    private String sign(RsaJsonWebKey signingKey, String algorithm) {
      JsonWebSignature jws = new JsonWebSignature();
      jws.setPayload(claims().toJson());
      jws.setKey(signingKey.getPrivateKey());
      jws.setKeyIdHeaderValue(signingKey.getKeyId());
      jws.setAlgorithmHeaderValue(algorithm);
      try {
        return jws.getCompactSerialization();
      } catch (JoseException e) {
        throw new IllegalStateException(e);
      }
    }

    private JwtClaims claims() {
      JwtClaims claims = new JwtClaims();
      claims.setIssuer(issuer);
      claims.setAudience(audience);
      claims.setSubject(subject);
      claims.setIssuedAtToNow();
      claims.setExpirationTime(NumericDate.fromSeconds(expiresAt.getEpochSecond()));
      claims.setJwtId(UUID.randomUUID().toString());
      if (workspace != null) {
        claims.setClaim("wid", workspace.toString());
      }
      claims.setStringListClaim("groups", roles);
      if (scope != null) {
        claims.setClaim("scope", scope);
      }
      extra.forEach(claims::setClaim);
      return claims;
    }
  }

  private static String base64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
