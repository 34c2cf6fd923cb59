package io.linkflow.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A node failed, with a message for the workflow author. Unchecked.
 *
 * <p>{@link #retryable()} tells the engine whether the node's retry policy applies (a timeout, a
 * 503); it is false for every node in this library: running them again gives the same result.
 */
public final class NodeException extends RuntimeException {

  private final String nodeId;
  private final String nodeName;
  private final boolean retryable;
  private final String parameter;
  private final JsonNode details;

  public NodeException(
      String nodeId,
      String nodeName,
      String message,
      boolean retryable,
      String parameter,
      JsonNode details,
      Throwable cause) {
    super(message, cause);
    this.nodeId = nodeId;
    this.nodeName = nodeName;
    this.retryable = retryable;
    this.parameter = parameter;
    this.details = details;
  }

  /** A non-retryable failure of a node. */
  public static NodeException of(NodeRun run, String message) {
    return new NodeException(run.nodeId(), run.nodeName(), message, false, null, null, null);
  }

  /** A non-retryable failure caused by one parameter (a JSON Pointer such as {@code /date}). */
  public static NodeException parameter(NodeRun run, String pointer, String message) {
    return new NodeException(
        run.nodeId(),
        run.nodeName(),
        "parameter " + pointer + ": " + message,
        false,
        pointer,
        null,
        null);
  }

  public String nodeId() {
    return nodeId;
  }

  public String nodeName() {
    return nodeName;
  }

  public boolean retryable() {
    return retryable;
  }

  /** JSON Pointer of the parameter at fault, or null. */
  public String parameter() {
    return parameter;
  }

  /** Structured error data (Stop and Error's {@code errorObject}), or null. */
  public JsonNode details() {
    return details;
  }
}
