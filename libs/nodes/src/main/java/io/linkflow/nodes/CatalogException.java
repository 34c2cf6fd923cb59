package io.linkflow.nodes;

import java.util.List;

/** The catalog is invalid; start-up fails with every problem found. */
public class CatalogException extends RuntimeException {

  private final List<String> problems;

  public CatalogException(List<String> problems) {
    super("Invalid node catalog:\n - " + String.join("\n - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
