package io.linkflow.nodes;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A credential type a node type accepts.
 *
 * @param name the credential type's name (see {@link CredentialType})
 * @param required whether the node cannot run without a credential of this type
 * @param requiredWhen when set, the credential is required only while a parameter has one of the
 *     given values (e.g. HTTP Request's {@code authentication} = {@code httpBasicAuth})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CredentialRequirement(String name, boolean required, RequiredWhen requiredWhen) {

  public CredentialRequirement(String name, boolean required) {
    this(name, required, null);
  }

  /**
   * A parameter condition.
   *
   * @param parameter a top-level parameter of the node
   * @param values the values that make the credential required
   */
  public record RequiredWhen(String parameter, List<String> values) {}

  /**
   * Whether a node with these parameters needs this credential; a parameter that is not set counts
   * with its schema default.
   */
  public boolean requiredFor(JsonNode parameters, JsonNode parameterSchema) {
    if (required) {
      return true;
    }
    if (requiredWhen == null) {
      return false;
    }
    JsonNode value = parameters == null ? null : parameters.get(requiredWhen.parameter());
    if (value == null || value.isNull()) {
      value = parameterSchema.path("properties").path(requiredWhen.parameter()).get("default");
    }
    return value != null && value.isTextual() && requiredWhen.values().contains(value.asText());
  }
}
