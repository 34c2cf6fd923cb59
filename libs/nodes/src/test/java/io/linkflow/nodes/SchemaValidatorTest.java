package io.linkflow.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Values checked against catalog schemas, with errors pointing at the field. */
class SchemaValidatorTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Catalog catalog = Catalog.builtIn();

  @Test
  void validParametersHaveNoViolations() throws Exception {
    NodeType http = catalog.nodeType("linkflow.httpRequest", 1).orElseThrow();
    assertThat(
            SchemaValidator.validate(
                http.parameters(), json("{\"method\":\"POST\",\"url\":\"https://example.com\"}")))
        .isEmpty();
  }

  @Test
  void eachViolationPointsAtItsField() throws Exception {
    NodeType http = catalog.nodeType("linkflow.httpRequest", 1).orElseThrow();
    List<Violation> violations =
        SchemaValidator.validate(http.parameters(), json("{\"method\":\"FETCH\"}"));
    assertThat(violations).extracting(Violation::pointer).contains("/method", "/url");
    assertThat(violations)
        .filteredOn(v -> v.pointer().equals("/url"))
        .first()
        .extracting(Violation::message)
        .asString()
        .contains("url");
  }

  @Test
  void credentialFieldsAreCheckedByTheirType() throws Exception {
    CredentialType basic = catalog.credentialType("httpBasicAuth").orElseThrow();
    assertThat(SchemaValidator.validate(basic.schema(), json("{\"user\":\"a\"}")))
        .extracting(Violation::pointer)
        .contains("/password");
    assertThat(basic.secretFields()).contains("password");
  }

  @Test
  void aCredentialCanBeRequiredByAParameterValue() throws Exception {
    NodeType http = catalog.nodeType("linkflow.httpRequest", 1).orElseThrow();
    CredentialRequirement basic =
        http.credentialTypes().stream()
            .filter(c -> c.name().equals("httpBasicAuth"))
            .findFirst()
            .orElseThrow();
    assertThat(basic.requiredFor(json("{\"authentication\":\"httpBasicAuth\"}"), http.parameters()))
        .isTrue();
    assertThat(basic.requiredFor(json("{\"authentication\":\"none\"}"), http.parameters()))
        .isFalse();
    assertThat(basic.requiredFor(json("{}"), http.parameters())).as("default none").isFalse();
  }

  @Test
  void theCatalogAnswersTypeAndVersionLookups() {
    assertThat(catalog.versions("linkflow.httpRequest")).containsExactly(1);
    assertThat(catalog.versions("linkflow.nothing")).isEmpty();
    assertThat(catalog.nodeType("linkflow.httpRequest", 2)).isEmpty();
  }

  private static JsonNode json(String text) throws Exception {
    return MAPPER.readTree(text);
  }
}
