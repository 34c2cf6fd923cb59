package io.linkflow.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates values (node parameters, credential fields) against the catalog's JSON Schemas (draft
 * 2020-12, networknt json-schema-validator). Compiled schemas are cached by identity, so validating
 * against the same catalog schema again costs no compilation.
 */
public final class SchemaValidator {

  /** Draft 2020-12, knowing {@code x-secret} (credential fields) as an annotation. */
  static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          Dialect.builder(Dialects.getDraft202012())
              .keyword(new AnnotationKeyword("x-secret"))
              .build());

  private static final Map<JsonNode, Schema> COMPILED = new ConcurrentHashMap<>();

  private SchemaValidator() {}

  /** The violations of {@code value} against {@code schema}, in document order; empty if valid. */
  public static List<Violation> validate(JsonNode schema, JsonNode value) {
    Schema compiled = COMPILED.computeIfAbsent(schema, REGISTRY::getSchema);
    List<Violation> violations = new ArrayList<>();
    for (Error error : compiled.validate(value)) {
      String pointer = pointer(error.getInstanceLocation());
      if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
        pointer = pointer + "/" + escape(error.getProperty());
      }
      violations.add(new Violation(pointer, error.getMessage()));
    }
    return violations;
  }

  static String pointer(NodePath path) {
    StringBuilder pointer = new StringBuilder();
    if (path == null) {
      return "";
    }
    for (int i = 0; i < path.getNameCount(); i++) {
      pointer.append('/').append(escape(String.valueOf(path.getElement(i))));
    }
    return pointer.toString();
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
