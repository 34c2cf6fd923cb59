package io.linkflow.workflow.model;

/**
 * An edge of the graph: items leave {@code from}'s output port and enter {@code to}'s input port.
 */
public record Connection(End from, End to) {

  /**
   * One end of a connection.
   *
   * @param node the node id
   * @param port the output (on {@code from}) or input (on {@code to}) name; {@code main} when
   *     omitted
   */
  public record End(String node, String port) {

    public String portOrMain() {
      return port == null || port.isBlank() ? "main" : port;
    }
  }
}
