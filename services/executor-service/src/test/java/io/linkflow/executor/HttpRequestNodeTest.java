package io.linkflow.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.wire.NodeOutcome;
import io.linkflow.testing.LogCapture;
import io.linkflow.testing.RealInfrastructure;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP Request node against a real HTTP server in the test JVM (127.0.0.1 is allow-listed in
 * the test profile), with credentials from a fake credential-service decrypt.
 */
@QuarkusTest
@RealInfrastructure(database = "", postgres = false, redis = false)
@WithTestResource(FakeServer.class)
class HttpRequestNodeTest {

  @BeforeAll
  static void routes() {
    FakeServer.route(
        "/echo",
        (seen, exchange) -> {
          ObjectNode echo = Commands.JSON.createObjectNode();
          echo.put("method", seen.method());
          echo.put("query", seen.query());
          ObjectNode headers = echo.putObject("headers");
          seen.headers().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
          echo.put("body", seen.body());
          FakeServer.json(exchange, 200, echo.toString());
        });
    FakeServer.route(
        "/s503", (seen, exchange) -> FakeServer.json(exchange, 503, "{\"error\":\"maintenance\"}"));
    FakeServer.route(
        "/s404",
        (seen, exchange) -> FakeServer.json(exchange, 404, "{\"error\":\"no such order\"}"));
    FakeServer.route(
        "/array", (seen, exchange) -> FakeServer.json(exchange, 200, "[{\"id\":1},{\"id\":2},3]"));
    FakeServer.route(
        "/text", (seen, exchange) -> FakeServer.reply(exchange, 200, "text/plain", "plain words"));
    FakeServer.route(
        "/big",
        (seen, exchange) -> FakeServer.reply(exchange, 200, "text/plain", "x".repeat(1_100_000)));
    FakeServer.route(
        "/hang",
        (seen, exchange) -> {
          try {
            Thread.sleep(5000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          FakeServer.json(exchange, 200, "{}");
        });
    FakeServer.route(
        "/to-echo", (seen, exchange) -> redirect(exchange, FakeServer.url() + "/echo"));
    FakeServer.route(
        "/to-metadata",
        (seen, exchange) -> redirect(exchange, "http://169.254.169.254/latest/meta-data/"));
    FakeServer.route(
        "/to-localhost",
        (seen, exchange) -> redirect(exchange, "http://localhost:" + FakeServer.port() + "/echo"));
  }

  private static void redirect(com.sun.net.httpserver.HttpExchange exchange, String location)
      throws java.io.IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(302, -1);
  }

  private static Commands.Run http(String parameters) {
    return new Commands.Run("linkflow.httpRequest", parameters.replace("$URL", FakeServer.url()));
  }

  @Test
  void aGetOutputsTheJsonBodyOncePerInputItemWithQueryAndHeaders() {
    Commands.Run run =
        http("{\"url\":\"$URL/echo?fixed=1\",\"query\":{\"id\":\"{{ $json.id }}\",\"q\":\"a b\"},"
                + "\"headers\":{\"X-Trace\":\"t-{{ $json.id }}\"}}")
            .items("{\"id\":7}", "{\"id\":8}");

    Commands.Result result = Commands.run(run);

    assertThat(result.payload().status()).isEqualTo("succeeded");
    assertThat(result.main()).hasSize(2);
    JsonNode first = result.main().get(0);
    assertThat(first.get("method").asText()).isEqualTo("GET");
    assertThat(first.get("query").asText()).isEqualTo("fixed=1&id=7&q=a+b");
    assertThat(first.at("/headers/x-trace").asText()).isEqualTo("t-7");
    assertThat(result.main().get(1).get("query").asText()).isEqualTo("fixed=1&id=8&q=a+b");
  }

  @Test
  void postBodiesAreSentAsJsonFormOrText() {
    JsonNode json =
        Commands.run(
                http("{\"method\":\"POST\",\"url\":\"$URL/echo\",\"bodyType\":\"json\","
                        + "\"body\":{\"name\":\"{{ $json.name }}\",\"n\":2}}")
                    .items("{\"name\":\"Ada\"}"))
            .main()
            .get(0);
    assertThat(json.get("method").asText()).isEqualTo("POST");
    assertThat(json.get("body").asText()).isEqualTo("{\"name\":\"Ada\",\"n\":2}");
    assertThat(json.at("/headers/content-type").asText()).isEqualTo("application/json");

    JsonNode form =
        Commands.run(
                http(
                    "{\"method\":\"PUT\",\"url\":\"$URL/echo\",\"bodyType\":\"form\","
                        + "\"body\":{\"a\":\"x y\",\"b\":\"&\"}}"))
            .main()
            .get(0);
    assertThat(form.get("body").asText()).isEqualTo("a=x+y&b=%26");
    assertThat(form.at("/headers/content-type").asText())
        .isEqualTo("application/x-www-form-urlencoded");

    JsonNode text =
        Commands.run(
                http(
                    "{\"method\":\"PATCH\",\"url\":\"$URL/echo\",\"bodyType\":\"text\","
                        + "\"body\":\"hello\",\"headers\":{\"Content-Type\":\"text/csv\"}}"))
            .main()
            .get(0);
    assertThat(text.get("body").asText()).isEqualTo("hello");
    assertThat(text.at("/headers/content-type").asText()).isEqualTo("text/csv");
  }

  @Test
  void arraysBecomeItemsTextGoesToDataAndFullResponseHasStatusAndHeaders() {
    assertThat(Commands.run(http("{\"url\":\"$URL/array\"}")).main())
        .extracting(Object::toString)
        .containsExactly("{\"id\":1}", "{\"id\":2}", "{\"data\":3}");
    assertThat(
            Commands.run(http("{\"url\":\"$URL/text\",\"responseFormat\":\"text\"}"))
                .main()
                .get(0)
                .get("data")
                .asText())
        .isEqualTo("plain words");

    ObjectNode full =
        Commands.run(http("{\"url\":\"$URL/array\",\"fullResponse\":true}")).main().get(0);
    assertThat(full.get("statusCode").asInt()).isEqualTo(200);
    assertThat(full.at("/headers/content-type").asText()).isEqualTo("application/json");
    assertThat(full.get("body").toString()).isEqualTo("[{\"id\":1},{\"id\":2},3]");

    // a JSON response format on a non-JSON body is a clear error
    Commands.Result notJson = Commands.run(http("{\"url\":\"$URL/text\"}"));
    assertThat(notJson.error().message())
        .isEqualTo(
            "node \"Node\": GET "
                + FakeServer.url()
                + "/text answered text/plain, not JSON: set responseFormat to text");
  }

  @Test
  void httpErrorsFailTheNodeRetryableOnlyWhenWorthRetrying() {
    Commands.Result unavailable = Commands.run(http("{\"url\":\"$URL/s503?key=abc\"}"));
    assertThat(unavailable.payload().status()).isEqualTo("failed");
    assertThat(unavailable.error().kind()).isEqualTo(NodeOutcome.NODE);
    assertThat(unavailable.error().retryable()).isTrue();
    assertThat(unavailable.error().message())
        .isEqualTo(
            "node \"Node\": GET " + FakeServer.url() + "/s503 answered 503 Service Unavailable");
    assertThat(unavailable.error().details().get("statusCode").asInt()).isEqualTo(503);
    assertThat(unavailable.error().details().at("/body/error").asText()).isEqualTo("maintenance");

    Commands.Result notFound = Commands.run(http("{\"url\":\"$URL/s404\"}"));
    assertThat(notFound.error().retryable()).isFalse();
    assertThat(notFound.error().message()).endsWith("/s404 answered 404 Not Found");

    // failOnHttpError false: the error response is output like any other
    ObjectNode kept =
        Commands.run(
                http("{\"url\":\"$URL/s404\",\"failOnHttpError\":false,\"fullResponse\":true}"))
            .main()
            .get(0);
    assertThat(kept.get("statusCode").asInt()).isEqualTo(404);
    assertThat(kept.at("/body/error").asText()).isEqualTo("no such order");
  }

  @Test
  void aRequestPastItsTimeoutFailsWithKindTimeoutAndCanBeRetried() {
    Commands.Result result = Commands.run(http("{\"url\":\"$URL/hang\",\"timeoutMs\":300}"));

    assertThat(result.error().kind()).isEqualTo(NodeOutcome.TIMEOUT);
    assertThat(result.error().retryable()).isTrue();
    assertThat(result.error().message())
        .isEqualTo(
            "node \"Node\": GET "
                + FakeServer.url()
                + "/hang did not answer within 300 ms (timeoutMs)");
  }

  @Test
  void aNodeRunningPastItsDeadlineIsStoppedWithKindTimeout() {
    Commands.Run run = http("{\"url\":\"$URL/hang\"}");
    run.timeoutSeconds = 1;

    Commands.Result result = Commands.run(run);

    assertThat(result.error().kind()).isEqualTo(NodeOutcome.TIMEOUT);
    assertThat(result.error().retryable()).isTrue();
    assertThat(result.error().message()).isEqualTo("node \"Node\" ran past its deadline (1 s)");
    assertThat(
            java.time.Duration.between(result.payload().startedAt(), result.payload().finishedAt()))
        .isLessThan(java.time.Duration.ofSeconds(4));
  }

  @Test
  void aResponseLargerThanTheLimitFailsWithoutRetry() {
    Commands.Result result =
        Commands.run(http("{\"url\":\"$URL/big\",\"responseFormat\":\"text\"}"));

    assertThat(result.error().retryable()).isFalse();
    assertThat(result.error().kind()).isEqualTo(NodeOutcome.LIMIT);
    assertThat(result.error().message())
        .isEqualTo(
            "node \"Node\": the answer of "
                + FakeServer.url()
                + "/big is larger than the 1 MiB limit (linkflow.executor.http.max-response-bytes)");
  }

  @Test
  void redirectsAreFollowedAndEveryHopPassesTheGuard() {
    JsonNode followed = Commands.run(http("{\"url\":\"$URL/to-echo\"}")).main().get(0);
    assertThat(followed.get("method").asText()).isEqualTo("GET");

    ObjectNode notFollowed =
        Commands.run(
                http("{\"url\":\"$URL/to-echo\",\"followRedirects\":false,\"fullResponse\":true}"))
            .main()
            .get(0);
    assertThat(notFollowed.get("statusCode").asInt()).isEqualTo(302);

    Commands.Result metadata = Commands.run(http("{\"url\":\"$URL/to-metadata\"}"));
    assertThat(metadata.error().retryable()).isFalse();
    assertThat(metadata.error().parameter()).isEqualTo("/url");
    assertThat(metadata.error().message())
        .startsWith(
            "node \"Node\", parameter /url: the redirect to http://169.254.169.254/latest/meta-data/"
                + " was refused: the host 169.254.169.254 is an internal address");

    int before = FakeServer.seen("/echo").size();
    Commands.Result loopback = Commands.run(http("{\"url\":\"$URL/to-localhost\"}"));
    assertThat(loopback.error().message()).contains("the host localhost is an internal address");
    assertThat(FakeServer.seen("/echo")).hasSize(before);
  }

  @Test
  void internalAddressesAreRefusedUnlessAllowListed() {
    int before = FakeServer.seen("/echo").size();
    // the same server, named by a host that is not allow-listed: loopback, refused
    Commands.Result loopback =
        Commands.run(
            new Commands.Run(
                "linkflow.httpRequest",
                "{\"url\":\"http://localhost:" + FakeServer.port() + "/echo\"}"));
    assertThat(loopback.error().message())
        .startsWith("node \"Node\", parameter /url: the host localhost is an internal address")
        .endsWith("(an operator can allow-list the host in linkflow.outbound.allowed-hosts)");
    assertThat(FakeServer.seen("/echo")).hasSize(before);

    for (String url :
        List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::1]/")) {
      Commands.Result refused =
          Commands.run(new Commands.Run("linkflow.httpRequest", "{\"url\":\"" + url + "\"}"));
      assertThat(refused.error().message()).contains("is an internal address");
      assertThat(refused.error().retryable()).isFalse();
    }

    // allowPrivateNetwork on the node is not enough: the operator has not allowed it
    Commands.Result asked =
        Commands.run(
            new Commands.Run(
                "linkflow.httpRequest",
                "{\"url\":\"http://localhost:"
                    + FakeServer.port()
                    + "/echo\",\"allowPrivateNetwork\":true}"));
    assertThat(asked.error().message())
        .contains("the node sets allowPrivateNetwork, but this installation does not allow")
        .contains("an operator must set linkflow.executor.http.allow-private-network=true");

    Commands.Result file =
        Commands.run(new Commands.Run("linkflow.httpRequest", "{\"url\":\"file:///etc/passwd\"}"));
    assertThat(file.error().message()).endsWith("is not an absolute http(s) URL");
    Commands.Result ftp =
        Commands.run(
            new Commands.Run("linkflow.httpRequest", "{\"url\":\"ftp://example.com/file\"}"));
    assertThat(ftp.error().message()).endsWith("only http and https URLs can be called");
  }

  @Test
  void binaryBodiesAndResponsesAreRefusedClearly() {
    Commands.Result body =
        Commands.run(http("{\"method\":\"POST\",\"url\":\"$URL/echo\",\"bodyType\":\"binary\"}"));
    assertThat(body.error().parameter()).isEqualTo("/bodyType");
    assertThat(body.error().message()).contains("binary data from storage, which is not available");
    assertThat(body.error().retryable()).isFalse();
    Commands.Result response =
        Commands.run(http("{\"url\":\"$URL/echo\",\"responseFormat\":\"binary\"}"));
    assertThat(response.error().parameter()).isEqualTo("/responseFormat");
  }

  @Test
  void everyCredentialTypeIsAppliedAndNeverLogged() {
    String basic =
        credential("httpBasicAuth", "{\"user\":\"ada\",\"password\":\"pa55-basic-secret\"}", null);
    String bearer = credential("httpBearerToken", "{\"token\":\"tok-bearer-secret\"}", null);
    String header =
        credential(
            "httpHeaderAuth", "{\"name\":\"X-Api-Key\",\"value\":\"key-header-secret\"}", null);
    String code =
        credential(
            "oauth2AuthorizationCode",
            "{\"clientId\":\"c\",\"accessToken\":\"at-code-secret\"}",
            "at-code-secret");
    String clientCredentials =
        credential(
            "oauth2ClientCredentials",
            "{\"tokenUrl\":\""
                + FakeServer.url()
                + "/oauth/token\",\"clientId\":\"cid\",\"clientSecret\":\"cs-client-secret\","
                + "\"scope\":\"orders\"}",
            null);
    AtomicInteger grants = new AtomicInteger();
    FakeServer.route(
        "/oauth/token",
        (seen, exchange) -> {
          grants.incrementAndGet();
          boolean ok =
              ("Basic " + Base64.getEncoder().encodeToString("cid:cs-client-secret".getBytes()))
                      .equals(seen.header("Authorization"))
                  && seen.body().contains("grant_type=client_credentials")
                  && seen.body().contains("scope=orders");
          FakeServer.json(
              exchange,
              ok ? 200 : 401,
              ok
                  ? "{\"access_token\":\"cc-token-secret\",\"expires_in\":3600}"
                  : "{\"error\":\"invalid_client\"}");
        });

    try (LogCapture logs = LogCapture.start()) {
      assertThat(authorization("httpBasicAuth", basic, "authorization"))
          .isEqualTo(
              "Basic " + Base64.getEncoder().encodeToString("ada:pa55-basic-secret".getBytes()));
      assertThat(authorization("httpBearerToken", bearer, "authorization"))
          .isEqualTo("Bearer tok-bearer-secret");
      assertThat(authorization("httpHeaderAuth", header, "x-api-key"))
          .isEqualTo("key-header-secret");
      assertThat(authorization("oauth2AuthorizationCode", code, "authorization"))
          .isEqualTo("Bearer at-code-secret");
      assertThat(authorization("oauth2ClientCredentials", clientCredentials, "authorization"))
          .isEqualTo("Bearer cc-token-secret");
      // the client-credentials token is cached
      assertThat(authorization("oauth2ClientCredentials", clientCredentials, "authorization"))
          .isEqualTo("Bearer cc-token-secret");
      assertThat(grants.get()).isEqualTo(1);

      // an API that echoes the request into its error answer leaks nothing into the failure
      FakeServer.route(
          "/echo-error",
          (seen, exchange) ->
              FakeServer.json(
                  exchange, 400, "{\"youSent\":\"" + seen.header("Authorization") + "\"}"));
      Commands.Run run =
          http("{\"url\":\"$URL/echo-error\",\"authentication\":\"httpBearerToken\"}");
      run.credentials.put("httpBearerToken", bearer);
      Commands.Result failed = Commands.run(run);
      assertThat(failed.error().details().at("/body/youSent").asText()).isEqualTo("Bearer ***");
      assertThat(failed.payload().outcome()).doesNotContain("tok-bearer-secret");

      assertThat(logs.records())
          .allSatisfy(
              r ->
                  assertThat(r.getFormattedMessage() + r.getMdcCopy() + r.getThrown())
                      .doesNotContain("pa55-basic-secret")
                      .doesNotContain("tok-bearer-secret")
                      .doesNotContain("key-header-secret")
                      .doesNotContain("at-code-secret")
                      .doesNotContain("cs-client-secret")
                      .doesNotContain("cc-token-secret"));
    }
    // the decrypt named the workspace and execution, with the executor's service token
    FakeServer.Seen decrypt =
        FakeServer.seen("/internal/v1/credentials/" + basic + "/decrypt").get(0);
    assertThat(decrypt.body()).contains("\"workspaceId\":\"" + Commands.WORKSPACE + "\"");
    assertThat(decrypt.body()).contains("\"executionId\":");
    assertThat(decrypt.header("Authorization")).startsWith("Bearer ey");
  }

  @Test
  void missingOrUnknownCredentialsAreClearErrors() {
    Commands.Result none =
        Commands.run(http("{\"url\":\"$URL/echo\",\"authentication\":\"httpBasicAuth\"}"));
    assertThat(none.error().message())
        .isEqualTo(
            "node \"Node\", parameter /authentication: no httpBasicAuth credential is selected for"
                + " this node");

    String missing = UUID.randomUUID().toString();
    FakeServer.route(
        "/internal/v1/credentials/" + missing + "/decrypt",
        (seen, exchange) -> FakeServer.json(exchange, 404, "{\"status\":404}"));
    Commands.Run run = http("{\"url\":\"$URL/echo\",\"authentication\":\"httpBasicAuth\"}");
    run.credentials.put("httpBasicAuth", missing);
    Commands.Result result = Commands.run(run);
    assertThat(result.error().message())
        .isEqualTo("node \"Node\": credential " + missing + " does not exist in this workspace");
    assertThat(result.error().retryable()).isFalse();
  }

  /** Runs a GET /echo authenticated with {@code credentialId}; the header the server received. */
  private static String authorization(String type, String credentialId, String header) {
    Commands.Run run = http("{\"url\":\"$URL/echo\",\"authentication\":\"" + type + "\"}");
    run.credentials.put(type, credentialId);
    Commands.Result result = Commands.run(run);
    assertThat(result.payload().status()).as(String.valueOf(result.error())).isEqualTo("succeeded");
    return result.main().get(0).at("/headers/" + header).asText();
  }

  /** A credential the fake decrypt answers. */
  private static String credential(String type, String data, String accessToken) {
    String id = UUID.randomUUID().toString();
    FakeServer.route(
        "/internal/v1/credentials/" + id + "/decrypt",
        (seen, exchange) ->
            FakeServer.json(
                exchange,
                200,
                "{\"id\":\""
                    + id
                    + "\",\"type\":\""
                    + type
                    + "\",\"name\":\"c\",\"status\":\"ready\",\"data\":"
                    + data
                    + (accessToken == null ? "" : ",\"accessToken\":\"" + accessToken + "\"")
                    + "}"));
    return id;
  }

  @SuppressWarnings("unused")
  private static Map<String, String> none() {
    return Map.of();
  }
}
