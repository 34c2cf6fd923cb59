package io.linkflow.engine.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linkflow.engine.NodeException;
import io.linkflow.engine.NodeResult;
import java.util.List;
import java.util.Map;

/**
 * What running a node gave (the {@code outcome} of an {@code execution.node_result}, as JSON):
 * outputs by port and state on success, the error on failure.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeOutcome(Map<String, List<ObjectNode>> outputs, JsonNode state, Failure error) {

  /** Kinds of failure the engine treats differently. */
  public static final String NODE = "node";

  public static final String TIMEOUT = "timeout";
  public static final String ABORTED = "aborted";
  public static final String LIMIT = "limit";

  /**
   * Why a node run failed.
   *
   * @param message for the workflow author; names the node
   * @param kind {@code node} (the node failed), {@code timeout} (it ran past its deadline), {@code
   *     aborted} (the execution was cancelled), {@code limit} (its data broke a size limit)
   * @param retryable whether the node's retry policy applies
   * @param parameter the parameter at fault as a JSON Pointer, or null
   * @param details structured details (Stop and Error's object, an HTTP status and body), or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Failure(
      String message, String kind, boolean retryable, String parameter, JsonNode details) {}

  public static NodeOutcome success(NodeResult result) {
    return new NodeOutcome(result.outputs(), result.state(), null);
  }

  public static NodeOutcome failure(NodeException e) {
    return new NodeOutcome(
        null, null, new Failure(e.getMessage(), NODE, e.retryable(), e.parameter(), e.details()));
  }

  public static NodeOutcome failure(String message, String kind, boolean retryable) {
    return new NodeOutcome(null, null, new Failure(message, kind, retryable, null, null));
  }

  public boolean succeeded() {
    return error == null;
  }

  public NodeResult toResult() {
    return new NodeResult(outputs == null ? Map.of() : outputs, state);
  }
}
