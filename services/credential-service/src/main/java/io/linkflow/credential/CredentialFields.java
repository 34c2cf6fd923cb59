package io.linkflow.credential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.common.error.Problem;
import io.linkflow.nodes.Catalog;
import io.linkflow.nodes.CredentialType;
import io.linkflow.nodes.SchemaValidator;
import io.linkflow.nodes.Violation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of a credential against its type from the node catalog: schema validation (errors
 * point into {@code /data}), the split into what the public API shows and what it never shows, and
 * the merge of a partial update.
 */
final class CredentialFields {

  static final String OAUTH2_AUTHORIZATION_CODE = "oauth2AuthorizationCode";

  private CredentialFields() {}

  static Optional<CredentialType> type(String name) {
    return name == null ? Optional.empty() : Catalog.builtIn().credentialType(name);
  }

  /**
   * One error per violation, its pointer under {@code /data}. A message that would repeat a secret
   * value (some schema messages quote the value) is replaced by a neutral one.
   */
  static List<Problem.FieldError> validate(CredentialType type, ObjectNode data) {
    List<String> secrets = new ArrayList<>();
    for (String field : type.secretFields()) {
      JsonNode value = data.get(field);
      if (value != null && !value.isNull() && !value.asText().isEmpty()) {
        secrets.add(value.asText());
      }
    }
    // the schema reports fields it does not know at the object itself: name each field instead
    List<String> unknown = new ArrayList<>();
    if (type.schema().path("additionalProperties").isBoolean()
        && !type.schema().path("additionalProperties").asBoolean()) {
      data.fieldNames()
          .forEachRemaining(
              field -> {
                if (!type.schema().path("properties").has(field)) {
                  unknown.add(field);
                }
              });
    }
    List<Problem.FieldError> errors = new ArrayList<>();
    for (Violation violation : SchemaValidator.validate(type.schema(), data)) {
      String text = violation.message();
      if (violation.pointer().isEmpty()
          && unknown.stream().anyMatch(field -> text.contains("'" + field + "'"))) {
        continue;
      }
      String message =
          secrets.stream().anyMatch(text::contains) ? "is not valid for this field" : text;
      errors.add(new Problem.FieldError("/data" + violation.pointer(), message));
    }
    for (String field : unknown) {
      errors.add(
          new Problem.FieldError(
              "/data/" + field.replace("~", "~0").replace("/", "~1"),
              "not a field of " + type.name()));
    }
    return errors;
  }

  /** The fields the public API shows: every field but the secret ones. */
  static ObjectNode publicPart(CredentialType type, ObjectNode data) {
    ObjectNode shown = data.deepCopy();
    shown.remove(type.secretFields());
    return shown;
  }

  /** The secret fields that have a value, in the type's order. */
  static List<String> secretFieldsSet(CredentialType type, ObjectNode data) {
    return type.secretFields().stream()
        .filter(field -> data.hasNonNull(field) && !data.get(field).asText().isEmpty())
        .toList();
  }

  /**
   * A partial update on top of the stored fields (JSON Merge Patch, RFC 7386, on the top level): a
   * field sent replaces the stored one, {@code null} removes it, a field left out keeps its stored
   * value — so a secret need not be sent again to change another field.
   */
  static ObjectNode merge(ObjectNode stored, ObjectNode patch) {
    ObjectNode merged = stored.deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        merged.remove(field.getKey());
      } else {
        merged.set(field.getKey(), field.getValue());
      }
    }
    return merged;
  }
}
