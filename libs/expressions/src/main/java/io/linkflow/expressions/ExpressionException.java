package io.linkflow.expressions;

/**
 * A {@code {{ … }}} expression that did not compile or did not evaluate. The message is meant for
 * the workflow author: {@code node "Fetch" (n1), parameter /url, position 14: unknown function
 * $foo}.
 *
 * <p>{@link #parameter()} is the JSON Pointer of the parameter inside the node's parameters (empty
 * when the template was evaluated on its own), {@link #position()} the character offset inside that
 * parameter's string (-1 when unknown), {@link #expression()} the text between the braces (empty
 * when the error is about the template itself, e.g. an unclosed {@code {{}). The engine adds the
 * node with {@link #withNode(String, String)}.
 */
public final class ExpressionException extends RuntimeException {

  private final String reason;
  private final String parameter;
  private final int position;
  private final String expression;
  private final String nodeId;
  private final String nodeName;

  public ExpressionException(String reason, int position, String expression, Throwable cause) {
    this(reason, "", position, expression, null, null, cause);
  }

  private ExpressionException(
      String reason,
      String parameter,
      int position,
      String expression,
      String nodeId,
      String nodeName,
      Throwable cause) {
    super(message(reason, parameter, position, nodeId, nodeName), cause, false, true);
    this.reason = reason;
    this.parameter = parameter == null ? "" : parameter;
    this.position = position;
    this.expression = expression == null ? "" : expression;
    this.nodeId = nodeId;
    this.nodeName = nodeName;
  }

  /** What went wrong, without node, parameter or position. */
  public String reason() {
    return reason;
  }

  /** JSON Pointer of the parameter ({@code /headers/Authorization}); empty if unknown. */
  public String parameter() {
    return parameter;
  }

  /** Character offset in the parameter's string; -1 if unknown. */
  public int position() {
    return position;
  }

  /** The expression text between {@code {{ }}}; empty if the error is not about one expression. */
  public String expression() {
    return expression;
  }

  /** The node's id, once the engine added it; otherwise null. */
  public String nodeId() {
    return nodeId;
  }

  /** The node's name, once the engine added it; otherwise null. */
  public String nodeName() {
    return nodeName;
  }

  /** A copy naming the parameter (a JSON Pointer into the node's parameters). */
  public ExpressionException withParameter(String pointer) {
    return new ExpressionException(
        reason, pointer, position, expression, nodeId, nodeName, getCause());
  }

  /** A copy whose message starts with the node, for the execution log and the editor. */
  public ExpressionException withNode(String nodeId, String nodeName) {
    return new ExpressionException(
        reason, parameter, position, expression, nodeId, nodeName, getCause());
  }

  private static String message(
      String reason, String parameter, int position, String nodeId, String nodeName) {
    StringBuilder b = new StringBuilder();
    if (nodeName != null || nodeId != null) {
      b.append("node ");
      if (nodeName != null) {
        b.append('"').append(nodeName).append('"');
        if (nodeId != null) {
          b.append(" (").append(nodeId).append(')');
        }
      } else {
        b.append(nodeId);
      }
      b.append(", ");
    }
    if (parameter != null && !parameter.isEmpty()) {
      b.append("parameter ").append(parameter).append(", ");
    }
    if (position >= 0) {
      b.append("position ").append(position).append(", ");
    }
    if (b.length() >= 2) {
      b.setLength(b.length() - 2);
      b.append(": ");
    }
    return b.append(reason).toString();
  }
}
