package io.linkflow.workflow.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * One node of a workflow graph.
 *
 * @param id stable id, unique in the workflow; connections and errors refer to it
 * @param name unique display name; expressions refer to it ({@code $node["Name"]})
 * @param type a node type of the registry, e.g. {@code linkflow.httpRequest}
 * @param typeVersion the version of that type (the latest when omitted on save)
 * @param parameters values for the type's parameter schema; strings may hold {@code {{ … }}}
 *     expressions
 * @param credentials credential type name → the credential to use
 * @param position where the editor draws it, {@code [x, y]}
 * @param retry how a failed run is retried (none when omitted)
 * @param timeoutSeconds how long one run may take
 * @param continueOnFail pass the error on as an item instead of failing the execution
 * @param disabled skipped when the workflow runs
 * @param notes free text
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Node(
    String id,
    String name,
    String type,
    Integer typeVersion,
    ObjectNode parameters,
    Map<String, CredentialRef> credentials,
    List<Double> position,
    Retry retry,
    Integer timeoutSeconds,
    Boolean continueOnFail,
    Boolean disabled,
    String notes) {

  /** A reference to a credential of credential-service. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CredentialRef(String id, String name) {}

  /**
   * Retry policy of a node.
   *
   * @param maxAttempts total attempts, 1–10
   * @param delaySeconds wait before the first retry, 0–3600; doubles each time
   */
  public record Retry(Integer maxAttempts, Integer delaySeconds) {}

  public boolean isDisabled() {
    return Boolean.TRUE.equals(disabled);
  }
}
