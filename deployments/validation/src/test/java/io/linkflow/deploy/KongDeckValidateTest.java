package io.linkflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kong/kong.yml passes Debian's {@code deck validate} (decK 1.4.0: the file's entities and fields,
 * foreign references between them), and its plugins agree with the code. {@code .ci/run} installs
 * deck; on CI ({@code CI=true}) a missing deck, jq or openssl fails the test instead of skipping
 * it.
 */
class KongDeckValidateTest {

  private static final Path ROOT = HelmChart.repositoryRoot();
  private static final Path KONG_YML = ROOT.resolve("kong/kong.yml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void kongYmlPassesDeckValidate() throws Exception {
    require("deck");
    Result result = run(List.of("deck", "validate", "-s", KONG_YML.toString()));
    assertThat(result.exit()).as("deck validate -s kong/kong.yml: %s", result.output()).isZero();
  }

  /** The same command refuses a misspelt field, so the test above can fail. */
  @Test
  void deckValidateRefusesAMisspeltField(@TempDir Path dir) throws Exception {
    require("deck");
    String broken =
        Files.readString(KONG_YML).replaceFirst("strip_path: false", "strip_paths: false");
    Path file = dir.resolve("kong.yml");
    Files.writeString(file, broken);
    Result result = run(List.of("deck", "validate", "-s", file.toString()));
    assertThat(result.exit()).isNotZero();
    assertThat(result.output()).contains("strip_paths");
  }

  /**
   * kong/jwt-keys.sh turns a JWKS with two keys (the signing one and the next, as during a
   * rotation) into jwt_secrets of consumer linkflow-users: the file with the block appended, as the
   * Kong pod builds it, passes deck validate and holds the very same public keys under their kid.
   */
  @Test
  void jwtKeysScriptWritesTheJwksKeysAsJwtSecrets(@TempDir Path dir) throws Exception {
    require("deck");
    require("jq");
    require("openssl");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    Map<String, RSAPublicKey> keys = new LinkedHashMap<>();
    keys.put("key-1", (RSAPublicKey) generator.generateKeyPair().getPublic());
    keys.put("key-2", (RSAPublicKey) generator.generateKeyPair().getPublic());
    List<Map<String, String>> jwks = new ArrayList<>();
    keys.forEach(
        (kid, key) ->
            jwks.add(
                Map.of(
                    "kty",
                    "RSA",
                    "use",
                    "sig",
                    "alg",
                    "RS256",
                    "kid",
                    kid,
                    "n",
                    base64Url(key.getModulus()),
                    "e",
                    base64Url(key.getPublicExponent()))));
    Path jwksFile = dir.resolve("jwks.json");
    Files.writeString(jwksFile, new ObjectMapper().writeValueAsString(Map.of("keys", jwks)));

    Result script =
        run(List.of("bash", ROOT.resolve("kong/jwt-keys.sh").toString(), jwksFile.toString()));
    assertThat(script.exit()).as(script.output()).isZero();
    Path combined = dir.resolve("kong.yml");
    Files.writeString(combined, Files.readString(KONG_YML) + script.output());

    Result deck = run(List.of("deck", "validate", "-s", combined.toString()));
    assertThat(deck.exit()).as("deck validate: %s", deck.output()).isZero();
    JsonNode consumer = consumer(YAML.readTree(combined.toFile()), "linkflow-users");
    Map<String, RSAPublicKey> found = new LinkedHashMap<>();
    for (JsonNode secret : consumer.path("jwt_secrets")) {
      assertThat(secret.path("algorithm").asText()).isEqualTo("RS256");
      String pem =
          secret
              .path("rsa_public_key")
              .asText()
              .replace("-----BEGIN PUBLIC KEY-----", "")
              .replace("-----END PUBLIC KEY-----", "")
              .replaceAll("\\s", "");
      found.put(
          secret.path("key").asText(),
          (RSAPublicKey)
              KeyFactory.getInstance("RSA")
                  .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem))));
    }
    assertThat(found).isEqualTo(keys);
    // The repository's file itself has no keys: they exist only once auth-service made them.
    assertThat(consumer(YAML.readTree(KONG_YML.toFile()), "linkflow-users").has("jwt_secrets"))
        .isFalse();
  }

  /** Kong refuses bodies exactly where the services do (libs/common and webhook-service). */
  @Test
  void bodyLimitsMatchTheServices() throws IOException {
    JsonNode kong = YAML.readTree(KONG_YML.toFile());
    Properties common = new Properties();
    common.load(
        Files.newBufferedReader(
            ROOT.resolve("libs/common/src/main/resources/META-INF/microprofile-config.properties"),
            StandardCharsets.UTF_8));
    assertThat(megabytes(plugin(kong.path("plugins"), "request-size-limiting")))
        .isEqualTo(quarkusMegabytes(common.getProperty("quarkus.http.limits.max-body-size")));

    Properties webhook = new Properties();
    webhook.load(
        Files.newBufferedReader(
            ROOT.resolve("services/webhook-service/src/main/resources/application.properties"),
            StandardCharsets.UTF_8));
    // ${LINKFLOW_WEBHOOK_MAX_BODY:1M} -> the default, 1M
    String webhookLimit =
        webhook
            .getProperty("quarkus.http.limits.max-body-size")
            .replaceAll("^\\$\\{LINKFLOW_WEBHOOK_MAX_BODY:(.+)}$", "$1");
    int webhookRoutes = 0;
    for (JsonNode service : kong.path("services")) {
      for (JsonNode route : service.path("routes")) {
        for (JsonNode path : route.path("paths")) {
          if (path.asText().equals("/webhook") || path.asText().equals("/webhook-test")) {
            webhookRoutes++;
            assertThat(megabytes(plugin(route.path("plugins"), "request-size-limiting")))
                .as(route.path("name").asText())
                .isEqualTo(quarkusMegabytes(webhookLimit));
          }
        }
      }
    }
    assertThat(webhookRoutes).isEqualTo(2);
  }

  /** Anonymous 100/min, verified token holders 1000/min, and the jwt plugin falls back. */
  @Test
  void rateLimitTiers() throws IOException {
    JsonNode kong = YAML.readTree(KONG_YML.toFile());
    assertThat(plugin(kong.path("plugins"), "rate-limiting").path("minute").asInt()).isEqualTo(100);
    JsonNode jwt = plugin(kong.path("plugins"), "jwt");
    assertThat(jwt.path("anonymous").asText()).isEqualTo("anonymous");
    assertThat(consumer(kong, "anonymous").isMissingNode()).isFalse();
    assertThat(
            plugin(consumer(kong, "linkflow-users").path("plugins"), "rate-limiting")
                .path("minute")
                .asInt())
        .isEqualTo(1000);
  }

  private static JsonNode consumer(JsonNode kong, String username) {
    for (JsonNode consumer : kong.path("consumers")) {
      if (consumer.path("username").asText().equals(username)) {
        return consumer;
      }
    }
    return fail("no consumer " + username + " in kong/kong.yml");
  }

  private static JsonNode plugin(JsonNode plugins, String name) {
    for (JsonNode plugin : plugins) {
      if (plugin.path("name").asText().equals(name)) {
        return plugin.path("config");
      }
    }
    return fail("no plugin " + name + " in " + plugins);
  }

  private static long megabytes(JsonNode config) {
    assertThat(config.path("size_unit").asText()).isEqualTo("megabytes");
    return config.path("allowed_payload_size").asLong();
  }

  /** Quarkus' memory size "1M" (MiB, as Kong's megabytes), in megabytes. */
  private static long quarkusMegabytes(String size) {
    assertThat(size).matches("\\d+M");
    return Long.parseLong(size.substring(0, size.length() - 1));
  }

  private static String base64Url(BigInteger value) {
    byte[] bytes = value.toByteArray();
    int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
    byte[] unsigned = new byte[bytes.length - skip];
    System.arraycopy(bytes, skip, unsigned, 0, unsigned.length);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(unsigned);
  }

  /** A tool the test runs: missing on CI fails; elsewhere the test is skipped, saying why. */
  private static void require(String tool) throws Exception {
    boolean present = run(List.of("sh", "-c", "command -v " + tool)).exit() == 0;
    if (!present && "true".equals(System.getenv("CI"))) {
      fail(tool + " is not installed; .ci/run installs it (apt-get install -y deck jq openssl)");
    }
    Assumptions.assumeTrue(
        present, tool + " is not installed (apt-get install -y deck jq openssl); not checked here");
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " did not finish within 60 s");
    }
    return new Result(process.exitValue(), output);
  }
}
