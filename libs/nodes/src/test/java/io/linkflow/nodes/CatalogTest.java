package io.linkflow.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The built-in catalog files, and what the loader refuses. */
class CatalogTest {

  private static final Path SOURCES = Path.of("src/main/resources/catalog");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Catalog catalog = CatalogLoader.load();

  @Test
  void theCatalogHoldsTheBuiltInNodesOfTheDesign() {
    assertThat(catalog.nodeTypes())
        .extracting(NodeType::type)
        .containsExactlyInAnyOrder(
            "linkflow.manualTrigger",
            "linkflow.webhookTrigger",
            "linkflow.scheduleTrigger",
            "linkflow.eventTrigger",
            "linkflow.errorTrigger",
            "linkflow.httpRequest",
            "linkflow.set",
            "linkflow.if",
            "linkflow.switch",
            "linkflow.merge",
            "linkflow.splitInBatches",
            "linkflow.filter",
            "linkflow.sort",
            "linkflow.limit",
            "linkflow.wait",
            "linkflow.code",
            "linkflow.executeWorkflow",
            "linkflow.respondToWebhook",
            "linkflow.sendNotification",
            "linkflow.file",
            "linkflow.crypto",
            "linkflow.dateTime",
            "linkflow.noOp",
            "linkflow.stopAndError");
    assertThat(catalog.credentialTypes())
        .extracting(CredentialType::name)
        .containsExactlyInAnyOrder(
            "httpBasicAuth",
            "httpBearerToken",
            "httpHeaderAuth",
            "oauth2ClientCredentials",
            "oauth2AuthorizationCode",
            "smtp",
            "slackWebhook");
  }

  @Test
  void namesAreUnique() {
    List<NodeType> nodes = catalog.nodeTypes();
    assertThat(nodes.stream().map(n -> n.type() + "@" + n.version()).distinct())
        .hasSize(nodes.size());
    assertThat(nodes.stream().map(NodeType::displayName).distinct()).hasSize(nodes.size());
    assertThat(catalog.credentialTypes().stream().map(CredentialType::name).distinct())
        .hasSize(catalog.credentialTypes().size());
  }

  @Test
  void everyFileParsesAndIsListedInTheIndex() throws IOException {
    assertThat(files("nodes")).containsExactlyInAnyOrderElementsOf(index("nodes"));
    assertThat(files("credentials")).containsExactlyInAnyOrderElementsOf(index("credentials"));
    for (String file : files("nodes")) {
      JsonNode node = MAPPER.readTree(SOURCES.resolve("nodes").resolve(file).toFile());
      assertThat(file).startsWith(kebab(node.get("type").asText().substring(9)));
    }
  }

  @Test
  void everySchemaIsAValidJsonSchemaObjectSchema() {
    Schema meta =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    for (NodeType node : catalog.nodeTypes()) {
      assertThat(meta.validate(node.parameters())).as(node.type()).isEmpty();
      assertThat(node.parameters().get("type").asText()).isEqualTo("object");
      assertThat(SchemaCheck.problems(node.type(), node.parameters())).isEmpty();
    }
    for (CredentialType credential : catalog.credentialTypes()) {
      assertThat(meta.validate(credential.schema())).as(credential.name()).isEmpty();
      assertThat(credential.secretFields()).as(credential.name()).isNotEmpty();
    }
  }

  @Test
  void portsFollowTheKind() {
    for (NodeType node : catalog.nodeTypes()) {
      if (node.kind().equals(NodeType.TRIGGER)) {
        assertThat(node.inputs()).as(node.type()).isEmpty();
        assertThat(node.outputs()).as(node.type()).isNotEmpty();
      } else {
        assertThat(node.inputs()).as(node.type()).isNotEmpty();
      }
    }
    assertThat(ports(node("linkflow.if").outputs())).containsExactly("true", "false");
    assertThat(ports(node("linkflow.switch").outputs())).containsExactly("0", "1", "2", "3");
    assertThat(ports(node("linkflow.merge").inputs())).containsExactly("input1", "input2");
    assertThat(node("linkflow.stopAndError").outputs()).isEmpty();
    assertThat(node("linkflow.httpRequest").credentialTypes())
        .contains(
            new CredentialRequirement(
                "httpBasicAuth",
                false,
                new CredentialRequirement.RequiredWhen(
                    "authentication", java.util.List.of("httpBasicAuth"))));
  }

  @Test
  void secretFieldsComeFromTheSchema() {
    assertThat(catalog.credentialType("httpBasicAuth").orElseThrow().secretFields())
        .containsExactly("password");
    assertThat(catalog.credentialType("oauth2AuthorizationCode").orElseThrow().secretFields())
        .containsExactlyInAnyOrder("clientSecret", "accessToken", "refreshToken");
    assertThat(catalog.credentialType("slackWebhook").orElseThrow().secretFields())
        .containsExactly("url");
  }

  @Test
  void theLoaderRefusesBrokenDefinitions() {
    assertRefused(
        "x.v1.json",
        node("linkflow.xyz", "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"strin\"}}}"),
        "not a valid JSON Schema");
    assertRefused(
        "x.v1.json",
        node("linkflow.xyz", "{\"type\":\"object\",\"properties\":{},\"required\":[\"a\"]}"),
        "required a is not a property");
    assertRefused(
        "x.v1.json",
        node(
            "linkflow.xyz",
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\",\"default\":\"x\"}}}"),
        "default of a is invalid");
    assertRefused(
        "x.v1.json",
        node("linkflow.xyz", "{\"type\":\"array\",\"properties\":{}}"),
        "type must be");
    assertRefused(
        "x.v2.json", node("linkflow.xyz", "{\"type\":\"object\",\"properties\":{}}"), "version");
    assertRefused(
        "x.v1.json",
        node("Bad Name", "{\"type\":\"object\",\"properties\":{}}"),
        "type must match");
    assertRefused(
        "x.v1.json",
        node("linkflow.xyz", "{\"type\":\"object\",\"properties\":{}}")
            .replace(
                "\"credentialTypes\":[]",
                "\"credentialTypes\":[{\"name\":\"nope\",\"required\":true}]"),
        "unknown credential type nope");
    assertRefused(
        "x.v1.json",
        node("linkflow.xyz", "{\"type\":\"object\",\"properties\":{}}")
            .replace("\"kind\":\"action\"", "\"kind\":\"trigger\""),
        "a trigger has no inputs");
    assertRefused(
        "x.v1.json",
        node("linkflow.xyz", "{\"type\":\"object\",\"properties\":{}}")
            .replace("{\"type\":\"linkflow.xyz\"", "{\"typo\":1,\"type\":\"linkflow.xyz\""),
        "typo");
    String valid = node("linkflow.xyz", "{\"type\":\"object\",\"properties\":{}}");
    Map<String, byte[]> twice = new LinkedHashMap<>();
    twice.put("x.v1.json", bytes(valid));
    twice.put("x-again.v1.json", bytes(valid));
    assertThatThrownBy(() -> CatalogLoader.build(twice, Map.of()))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining("defined twice");
    assertThat(CatalogLoader.build(Map.of("x.v1.json", bytes(valid)), Map.of()).nodeTypes())
        .hasSize(1);
  }

  /** A minimal action definition with the given type and parameters schema. */
  static String node(String type, String parameters) {
    return "{\"type\":\""
        + type
        + "\",\"version\":1,\"displayName\":\"X\",\"category\":\"test\",\"kind\":\"action\","
        + "\"description\":\"d\",\"inputs\":[{\"name\":\"main\",\"displayName\":\"Input\"}],"
        + "\"outputs\":[{\"name\":\"main\",\"displayName\":\"Output\"}],\"parameters\":"
        + parameters
        + ",\"credentialTypes\":[],\"documentation\":\"# X\"}";
  }

  private static void assertRefused(String file, String json, String problem) {
    assertThatThrownBy(() -> CatalogLoader.build(Map.of(file, bytes(json)), Map.of()))
        .isInstanceOf(CatalogException.class)
        .hasMessageContaining(problem);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private NodeType node(String type) {
    return catalog.nodeTypes().stream()
        .filter(n -> n.type().equals(type))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> ports(List<Port> ports) {
    return ports.stream().map(Port::name).toList();
  }

  private static Set<String> files(String dir) throws IOException {
    try (Stream<Path> list = Files.list(SOURCES.resolve(dir))) {
      return list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  private static List<String> index(String field) throws IOException {
    JsonNode index = MAPPER.readTree(SOURCES.resolve("index.json").toFile());
    return MAPPER.convertValue(
        index.get(field),
        MAPPER.getTypeFactory().constructCollectionType(List.class, String.class));
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }
}
