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
  void aScheduleTriggerHasEitherACronOrAnIntervalAndAKnownMissedFirePolicy() throws Exception {
    NodeType schedule = catalog.nodeType("linkflow.scheduleTrigger", 1).orElseThrow();
    JsonNode schema = schedule.parameters();
    assertThat(SchemaValidator.validate(schema, json("{\"cron\":\"0 9 * * MON-FRI\"}"))).isEmpty();
    assertThat(
            SchemaValidator.validate(
                schema,
                json(
                    "{\"cron\":\"*/5 * * * * *\",\"timezone\":\"Europe/Paris\","
                        + "\"missedFirePolicy\":\"skip\"}")))
        .isEmpty();
    assertThat(SchemaValidator.validate(schema, json("{\"intervalSeconds\":90}"))).isEmpty();

    List<Violation> both =
        SchemaValidator.validate(schema, json("{\"cron\":\"* * * * *\",\"intervalSeconds\":5}"));
    assertThat(both).isNotEmpty();
    assertThat(SchemaValidator.validate(schema, json("{\"timezone\":\"UTC\"}"))).isNotEmpty();
    assertThat(SchemaValidator.validate(schema, json("{\"intervalSeconds\":0}")))
        .extracting(Violation::pointer)
        .contains("/intervalSeconds");
    assertThat(SchemaValidator.validate(schema, json("{\"intervalSeconds\":31536001}")))
        .extracting(Violation::pointer)
        .contains("/intervalSeconds");
    assertThat(SchemaValidator.validate(schema, json("{\"intervalSeconds\":1.5}")))
        .extracting(Violation::pointer)
        .contains("/intervalSeconds");
    assertThat(
            SchemaValidator.validate(
                schema, json("{\"cron\":\"* * * * *\",\"missedFirePolicy\":\"fireAll\"}")))
        .extracting(Violation::pointer)
        .contains("/missedFirePolicy");
    assertThat(schema.at("/properties/missedFirePolicy/default").asText()).isEqualTo("fireOnce");
    assertThat(schema.at("/properties/timezone/default").asText()).isEqualTo("UTC");
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
