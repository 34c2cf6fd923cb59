package io.linkflow.auth.oidc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A local OpenID Connect provider for tests (JDK HttpServer): discovery, {@code /authorize}, {@code
 * /token}, {@code /jwks} and {@code /userinfo}, with ID tokens signed RS256.
 *
 * <p>It is strict where LinkFlow's side must be right: {@code /authorize} requires the registered
 * client and redirect URI, the {@code openid} scope and an S256 {@code code_challenge}; {@code
 * /token} requires client authentication (basic or post) and a {@code code_verifier} whose SHA-256
 * matches the challenge, and codes are single use. It records what it saw so tests can assert it.
 *
 * <p>{@code /authorize} logs the person in at once, without a form. Who that is, the test says by
 * adding to the authorization URL (as a person would type into the provider's form): {@code
 * login_hint} (the e-mail address; none: no {@code email} claim), {@code sub} (default derived from
 * the address) and {@code email_verified} (default {@code true}).
 */
public final class FakeOidcProvider {

  public static final String CLIENT_ID = "linkflow-test-client";
  public static final String CLIENT_SECRET = "fake-provider-client-secret-at-least-32-characters";
  public static final String REDIRECT_URI = "http://localhost:18101/api/v1/auth/oidc/callback";

  /** What {@code /authorize} was asked, and the code it answered (null when it refused). */
  public record AuthorizationRequest(
      String clientId,
      String redirectUri,
      String scope,
      String state,
      String nonce,
      String codeChallenge,
      String codeChallengeMethod,
      String code) {}

  /** A {@code /token} request and how it was answered. */
  public record TokenRequest(
      String code,
      String codeVerifier,
      boolean clientAuthenticated,
      boolean verifierMatched,
      int status,
      String error) {}

  /** The person who logged in at the provider. */
  public record Person(String subject, String email, boolean emailVerified) {}

  private record Grant(AuthorizationRequest request, Person person) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static FakeOidcProvider instance;

  private final HttpServer server;
  private final RSAKey key;
  private final List<AuthorizationRequest> authorizations = new CopyOnWriteArrayList<>();
  private final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final Map<String, Person> accessTokens = new ConcurrentHashMap<>();

  private FakeOidcProvider() {
    try {
      key = new RSAKeyGenerator(2048).keyID("fake-" + UUID.randomUUID()).generate();
      server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/.well-known/openid-configuration", this::discovery);
    server.createContext("/authorize", this::authorize);
    server.createContext("/token", this::token);
    server.createContext("/jwks", this::jwks);
    server.createContext("/userinfo", this::userInfo);
    server.setExecutor(Executors.newFixedThreadPool(2, daemonThreads()));
    server.start();
  }

  /** The provider of this JVM, started on first use. */
  public static synchronized FakeOidcProvider get() {
    if (instance == null) {
      instance = new FakeOidcProvider();
    }
    return instance;
  }

  public String issuer() {
    return "http://localhost:" + server.getAddress().getPort();
  }

  /** The authorization request that carried {@code state}. */
  public Optional<AuthorizationRequest> authorization(String state) {
    return authorizations.stream().filter(a -> state.equals(a.state())).findFirst();
  }

  /** Every token request that presented {@code code}. */
  public List<TokenRequest> tokenRequests(String code) {
    return tokenRequests.stream().filter(t -> code.equals(t.code())).toList();
  }

  /** base64url(SHA-256(verifier)), the S256 code challenge of RFC 7636. */
  public static String s256(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void discovery(HttpExchange exchange) throws IOException {
    String issuer = issuer();
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("issuer", issuer);
    document.put("authorization_endpoint", issuer + "/authorize");
    document.put("token_endpoint", issuer + "/token");
    document.put("jwks_uri", issuer + "/jwks");
    document.put("userinfo_endpoint", issuer + "/userinfo");
    document.put("response_types_supported", List.of("code"));
    document.put("subject_types_supported", List.of("public"));
    document.put("id_token_signing_alg_values_supported", List.of("RS256"));
    document.put("code_challenge_methods_supported", List.of("S256"));
    document.put(
        "token_endpoint_auth_methods_supported",
        List.of("client_secret_basic", "client_secret_post"));
    document.put("scopes_supported", List.of("openid", "email", "profile"));
    json(exchange, 200, document);
  }

  private void authorize(HttpExchange exchange) throws IOException {
    Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
    String redirectUri = query.get("redirect_uri");
    if (!CLIENT_ID.equals(query.get("client_id")) || !REDIRECT_URI.equals(redirectUri)) {
      // Never redirect to an unregistered URI.
      record(query, null);
      json(exchange, 400, Map.of("error", "invalid_request"));
      return;
    }
    String scope = query.getOrDefault("scope", "");
    boolean valid =
        "code".equals(query.get("response_type"))
            && List.of(scope.split(" ")).contains("openid")
            && query.get("code_challenge") != null
            && "S256".equals(query.get("code_challenge_method"));
    if (!valid) {
      record(query, null);
      redirect(exchange, redirectUri, Map.of("error", "invalid_request"), query.get("state"));
      return;
    }
    String email = query.get("login_hint");
    Person person =
        new Person(
            query.getOrDefault(
                "sub", "sub-" + (email == null ? UUID.randomUUID() : email.toLowerCase())),
            email,
            !"false".equals(query.get("email_verified")));
    String code = randomToken();
    AuthorizationRequest request = record(query, code);
    codes.put(code, new Grant(request, person));
    redirect(exchange, redirectUri, Map.of("code", code), query.get("state"));
  }

  private AuthorizationRequest record(Map<String, String> query, String code) {
    AuthorizationRequest request =
        new AuthorizationRequest(
            query.get("client_id"),
            query.get("redirect_uri"),
            query.get("scope"),
            query.get("state"),
            query.get("nonce"),
            query.get("code_challenge"),
            query.get("code_challenge_method"),
            code);
    authorizations.add(request);
    return request;
  }

  private void token(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      json(exchange, 405, Map.of("error", "invalid_request"));
      return;
    }
    Map<String, String> form =
        parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String code = form.get("code");
    String verifier = form.get("code_verifier");
    boolean clientAuthenticated = clientAuthenticated(exchange, form);
    // A code is single use, whatever the outcome.
    Grant grant = code == null ? null : codes.remove(code);
    boolean verifierMatched =
        grant != null
            && verifier != null
            && MessageDigest.isEqual(
                s256(verifier).getBytes(StandardCharsets.US_ASCII),
                grant.request().codeChallenge().getBytes(StandardCharsets.US_ASCII));
    String error;
    int status;
    if (!clientAuthenticated) {
      status = 401;
      error = "invalid_client";
    } else if (!"authorization_code".equals(form.get("grant_type"))
        || grant == null
        || !grant.request().redirectUri().equals(form.get("redirect_uri"))
        || !verifierMatched) {
      status = 400;
      error = "invalid_grant";
    } else {
      status = 200;
      error = null;
    }
    tokenRequests.add(
        new TokenRequest(code, verifier, clientAuthenticated, verifierMatched, status, error));
    if (error != null) {
      json(exchange, status, Map.of("error", error));
      return;
    }
    String accessToken = randomToken();
    accessTokens.put(accessToken, grant.person());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", accessToken);
    body.put("token_type", "Bearer");
    body.put("expires_in", 300);
    body.put("scope", grant.request().scope());
    body.put("id_token", idToken(grant));
    json(exchange, 200, body);
  }

  private boolean clientAuthenticated(HttpExchange exchange, Map<String, String> form) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null && authorization.startsWith("Basic ")) {
      String decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon > 0
          && CLIENT_ID.equals(decode(decoded.substring(0, colon)))
          && CLIENT_SECRET.equals(decode(decoded.substring(colon + 1)));
    }
    return CLIENT_ID.equals(form.get("client_id"))
        && CLIENT_SECRET.equals(form.get("client_secret"));
  }

  private String idToken(Grant grant) {
    Instant now = Instant.now();
    Person person = grant.person();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer())
            .audience(CLIENT_ID)
            .subject(person.subject())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(300)))
            .claim("auth_time", now.getEpochSecond())
            .claim("name", "Test Person");
    if (grant.request().nonce() != null) {
      claims.claim("nonce", grant.request().nonce());
    }
    if (person.email() != null) {
      claims.claim("email", person.email()).claim("email_verified", person.emailVerified());
    }
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(key.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims.build());
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private void jwks(HttpExchange exchange) throws IOException {
    json(exchange, 200, new JWKSet(key.toPublicJWK()).toJSONObject());
  }

  private void userInfo(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    Person person =
        authorization == null || !authorization.startsWith("Bearer ")
            ? null
            : accessTokens.get(authorization.substring(7).trim());
    if (person == null) {
      json(exchange, 401, Map.of("error", "invalid_token"));
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sub", person.subject());
    if (person.email() != null) {
      body.put("email", person.email());
      body.put("email_verified", person.emailVerified());
    }
    json(exchange, 200, body);
  }

  private static void redirect(
      HttpExchange exchange, String redirectUri, Map<String, String> params, String state)
      throws IOException {
    StringBuilder location = new StringBuilder(redirectUri);
    location.append(URI.create(redirectUri).getRawQuery() == null ? '?' : '&');
    Map<String, String> all = new LinkedHashMap<>(params);
    if (state != null) {
      all.put("state", state);
    }
    location.append(
        String.join(
            "&",
            all.entrySet().stream()
                .map(
                    e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .toList()));
    exchange.getResponseHeaders().set("Location", location.toString());
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  private static void json(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static Map<String, String> parse(String encoded) {
    Map<String, String> values = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return values;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
      }
    }
    return values;
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  private static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    return runnable -> {
      Thread thread = new Thread(runnable, "fake-oidc-provider");
      thread.setDaemon(true);
      return thread;
    };
  }
}
