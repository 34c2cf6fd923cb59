package io.linkflow.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks that a parameters or credential schema is a valid JSON Schema draft 2020-12 object schema
 * (networknt json-schema-validator, against the official meta-schema it bundles): its root is
 * {@code type: object} with {@code properties}, every {@code required} name is a property, and
 * every {@code default} is valid against the schema of its property.
 */
public final class SchemaCheck {

  public static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

  private static final SchemaRegistry REGISTRY = SchemaValidator.REGISTRY;

  private static final Schema META = REGISTRY.getSchema(SchemaLocation.of(DRAFT_2020_12));

  private SchemaCheck() {}

  /** The problems of {@code schema}, each prefixed with {@code where}; empty when valid. */
  public static List<String> problems(String where, JsonNode schema) {
    List<String> problems = new ArrayList<>();
    if (schema == null || !schema.isObject()) {
      problems.add(where + ": must be a JSON Schema object");
      return problems;
    }
    JsonNode dialect = schema.get("$schema");
    if (dialect != null && !DRAFT_2020_12.equals(dialect.asText())) {
      problems.add(where + ": $schema must be " + DRAFT_2020_12);
    }
    for (Error error : META.validate(schema)) {
      problems.add(where + ": not a valid JSON Schema: " + error.toString());
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    if (!"object".equals(schema.path("type").asText())) {
      problems.add(where + ": type must be \"object\"");
    }
    if (!schema.path("properties").isObject()) {
      problems.add(where + ": properties must be an object");
    }
    try {
      REGISTRY.getSchema(schema).validate(JsonNodeFactory.instance.objectNode());
    } catch (RuntimeException e) {
      problems.add(where + ": cannot be compiled: " + e.getMessage());
    }
    checkObject(where, "", schema, problems);
    return problems;
  }

  private static void checkObject(String where, String path, JsonNode schema, List<String> out) {
    JsonNode properties = schema.path("properties");
    for (JsonNode name : schema.path("required")) {
      if (!properties.has(name.asText())) {
        out.add(where + ": required " + path + name.asText() + " is not a property");
      }
    }
    for (Map.Entry<String, JsonNode> property : properties.properties()) {
      String at = path + property.getKey();
      JsonNode propertySchema = property.getValue();
      JsonNode value = propertySchema.get("default");
      if (value != null) {
        List<Error> errors = REGISTRY.getSchema(propertySchema).validate(value);
        if (!errors.isEmpty()) {
          out.add(where + ": default of " + at + " is invalid: " + errors.get(0));
        }
      }
      if (propertySchema.path("properties").isObject()) {
        checkObject(where, at + ".", propertySchema, out);
      }
      JsonNode items = propertySchema.path("items");
      if (items.path("properties").isObject()) {
        checkObject(where, at + "[].", items, out);
      }
    }
  }
}
